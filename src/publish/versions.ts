import { createHash } from 'node:crypto';
import type { VeventSpec } from '../translate/vevent-spec.js';

// SEQUENCE and LAST-MODIFIED per published event: a small record per UID holding a hash of the
// event's projection. A changed projection raises SEQUENCE and LAST-MODIFIED, so subscribers
// (Google) update the event instead of keeping a stale copy or duplicating it. Pure.

export interface EventVersion {
  hash: string;
  sequence: number;
  lastModified: string;
}

/** Hash of everything a subscriber sees of the event (its overrides included), not of stamps. */
export function projectionHash(spec: VeventSpec): string {
  const { sequence: _s, ...seen } = spec;
  return createHash('sha256').update(JSON.stringify(seen)).digest('base64url').slice(0, 22);
}

/** The same record when the hash is unchanged, else one with SEQUENCE + 1 and LAST-MODIFIED = now. */
export function nextVersion(old: EventVersion | undefined, hash: string, now: Date): EventVersion {
  if (old && old.hash === hash) return old;
  return {
    hash,
    sequence: old ? old.sequence + 1 : 0,
    lastModified: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

export interface VersionedSpecs {
  specs: VeventSpec[];
  /** UID → LAST-MODIFIED (ISO). */
  lastModified: Map<string, string>;
  /** Records to write back (new or changed). */
  changed: Map<string, EventVersion>;
}

export function assignVersions(
  specs: VeventSpec[],
  records: Map<string, EventVersion>,
  now: Date,
): VersionedSpecs {
  const out: VeventSpec[] = [];
  const lastModified = new Map<string, string>();
  const changed = new Map<string, EventVersion>();
  for (const spec of specs) {
    const old = records.get(spec.uid);
    const version = nextVersion(old, projectionHash(spec), now);
    if (version !== old) changed.set(spec.uid, version);
    out.push({ ...spec, sequence: version.sequence });
    lastModified.set(spec.uid, version.lastModified);
  }
  // Records of events that left the feed are kept: one that comes back continues its SEQUENCE.
  return { specs: out, lastModified, changed };
}
