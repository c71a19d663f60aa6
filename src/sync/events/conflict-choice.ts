import type { ConflictPolicy, Link } from '../../model/link.js';

// Which side a change made on both sides keeps: the user's resolution of the item's conflict if
// any, else the link's policy; undefined: `manual`, recorded as a conflict for `talkcal conflicts`.

export type Side = 'source' | 'kakao';

export function conflictChoice(policy: ConflictPolicy, resolution: Side | undefined): Side | undefined {
  if (resolution) return resolution;
  if (policy === 'manual') return undefined;
  return policy === 'source-wins' ? 'source' : 'kakao';
}

/** Two-way CalDAV links: Talk Calendar edits flow back into the source. */
export const isTwoWay = (link: Link): boolean =>
  link.direction === 'two-way' && link.source.type === 'caldav';
