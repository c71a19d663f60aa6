import { createHash } from 'node:crypto';
import type { SnapshotEntry } from '../sync/store/kakao-snapshot.js';
import type { ItemMapping } from '../sync/store/mapping.js';
import { ownEventsOf } from '../sync/store/own-events.js';
import { decodeItem } from '../sync/store/stored-records.js';
import { decodeSnapshotEntry } from '../sync/store/stored-snapshot-entry.js';
import { parseTaskHistory, type TaskHistory } from '../sync/tasks/task-records.js';
import type { FeedRecord } from './feed.js';
import { holidaySpecs, holidaysFetchedAt } from './holidays.js';
import { renderFeed } from './render-feed.js';
import { type FeedEventsInput, feedEvents, type OwnEventInfo } from './snapshot-events.js';
import { type KnownTask, renderTasksFeed } from './tasks-feed.js';
import { assignVersions, type EventVersion, nextVersion } from './versions.js';

// Everything a feed body is made of, as read from Redis (raw JSON strings, so their digest says
// whether anything changed), and the pure step from those inputs to the body. No I/O.

export interface FeedInputs {
  userId: string;
  zone: string;
  /** Snapshot hash: key → SnapshotEntry JSON. */
  snapshot: Record<string, string>;
  /** Window start → last read time. */
  windows: Record<string, string>;
  /** The user's links: id, target calendar, whether it fills tasks, and its mapping items (raw). */
  links: {
    id: string;
    calendarId: string;
    tasks: boolean;
    items: Record<string, string>;
    /** Task links: Kakao task id → TaskHistory JSON (completion records of recurring tasks). */
    taskRecords?: Record<string, string>;
  }[];
  /** Stored Korean holidays (raw JSON; '' if never refreshed), for holidays feeds. */
  holidays?: string;
}

export interface FeedSettings {
  refreshMinutes: number;
  otherAppEvents: 'busy' | 'hide';
  horizon: { from: Date; to: Date };
}

/** A digest of the inputs and settings: equal digests give equal bodies. */
export function inputsDigest(feed: FeedRecord, inputs: FeedInputs, settings: FeedSettings): string {
  const sorted = (o: Record<string, string>) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
  const h = createHash('sha256');
  h.update(JSON.stringify([feed.id, feed.kind, feed.calendarId, feed.otherAppEvents, feed.name]));
  h.update(JSON.stringify([inputs.zone, settings, sorted(inputs.windows), inputs.holidays ?? '']));
  for (const [k, v] of sorted(inputs.snapshot)) h.update(`${k}\u0000${v}\u0000`);
  for (const link of [...inputs.links].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    h.update(JSON.stringify([link.id, link.calendarId, link.tasks]));
    for (const [k, v] of sorted(link.items)) h.update(`${k}\u0000${v}\u0000`);
    for (const [k, v] of sorted(link.taskRecords ?? {})) h.update(`r:${k}\u0000${v}\u0000`);
  }
  return h.digest('base64url');
}

/**
 * How fresh the feed is, to the day: a finer time would change the calendar's properties on every
 * sync, and clients that split a feed into items (vdirsyncer) would then rewrite every item.
 */
function freshness(windows: Record<string, string>, refreshMinutes: number): string {
  const reads = Object.values(windows).sort();
  if (reads.length === 0) return `Not read from Kakao yet. Refreshed every ${refreshMinutes} min.`;
  const newest = reads.at(-1)!.slice(0, 10);
  const oldest = reads[0]!.slice(0, 10);
  const since = oldest === newest ? '' : ` (every part at least since ${oldest})`;
  return `Talk Calendar as last verified against Kakao on ${newest} UTC${since}. Refreshed every ${refreshMinutes} min.`;
}

/** The newest time any window was read from Kakao (ISO), if any. */
export function lastVerified(inputs: FeedInputs): string | undefined {
  return Object.values(inputs.windows).sort().at(-1);
}

/** A stored record, or undefined when it cannot be read (a feed shows what it can). */
function readable<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch {
    return undefined;
  }
}

function linkMappings(link: FeedInputs['links'][number]): ItemMapping[] {
  return Object.entries(link.items)
    .map(([k, t]) => readable(() => decodeItem(k, t)))
    .filter((m): m is ItemMapping => m !== undefined && typeof m.units === 'object');
}

const taskMappings = (inputs: FeedInputs): ItemMapping[] =>
  inputs.links.filter((l) => l.tasks).flatMap(linkMappings);

export interface BuiltFeed {
  body: string;
  /** Version records to write back (UID → record). */
  changed: Map<string, EventVersion>;
}

function feedName(feed: FeedRecord): string {
  if (feed.name) return feed.name;
  if (feed.kind === 'tasks') return 'Talk Calendar tasks';
  if (feed.kind === 'calendar') return `Talk Calendar (${feed.calendarId})`;
  if (feed.kind === 'holidays') return 'Korean holidays';
  return 'Talk Calendar';
}

export function buildFeed(
  feed: FeedRecord,
  inputs: FeedInputs,
  settings: FeedSettings,
  versions: Map<string, EventVersion>,
  now: Date,
): BuiltFeed {
  const meta = {
    name: feedName(feed),
    description: freshness(inputs.windows, settings.refreshMinutes),
    refreshMinutes: settings.refreshMinutes,
  };
  if (feed.kind === 'tasks') return buildTasks(inputs, meta, versions, now);
  if (feed.kind === 'holidays') {
    const fetched = holidaysFetchedAt(inputs.holidays ?? '');
    meta.description = fetched
      ? `Korean holidays and celebrations from Kakao, read on ${fetched.slice(0, 10)} UTC.`
      : 'Korean holidays not loaded yet: run `talkcal feeds holidays-refresh`.';
    const versioned = assignVersions(
      holidaySpecs(inputs.holidays ?? '', inputs.zone, settings.horizon),
      versions,
      now,
    );
    return { body: renderFeed(versioned.specs, versioned.lastModified, meta), changed: versioned.changed };
  }
  const eventLinks = inputs.links.filter((l) => !l.tasks).map((l) => [l.id, linkMappings(l)] as const);
  const own = new Map<string, OwnEventInfo>();
  for (const [, items] of eventLinks)
    for (const m of items)
      for (const u of Object.values(m.units))
        if (u.kakaoId) own.set(u.kakaoId, { instances: u.instances ?? [] });
  const ownEvents = ownEventsOf(eventLinks);
  const events: FeedEventsInput = {
    entries: Object.entries(inputs.snapshot)
      .map(([k, t]) => readable(() => decodeSnapshotEntry(k, t, ownEvents)))
      .filter((e): e is SnapshotEntry => e !== undefined && typeof e.brief?.time?.start_at === 'string'),
    windows: inputs.windows,
    own,
    linkCalendars: new Map(inputs.links.map((l) => [l.id, l.calendarId])),
    otherApps: feed.otherAppEvents ?? settings.otherAppEvents,
    zone: inputs.zone,
    horizon: settings.horizon,
    ...(feed.kind === 'calendar' && feed.calendarId ? { calendarId: feed.calendarId } : {}),
  };
  const versioned = assignVersions(feedEvents(events), versions, now);
  return { body: renderFeed(versioned.specs, versioned.lastModified, meta), changed: versioned.changed };
}

function buildTasks(
  inputs: FeedInputs,
  meta: { name: string; description: string; refreshMinutes: number },
  versions: Map<string, EventVersion>,
  now: Date,
): BuiltFeed {
  const changed = new Map<string, EventVersion>();
  const tasks: KnownTask[] = [];
  const histories = new Map<string, TaskHistory>();
  for (const link of inputs.links.filter((l) => l.tasks)) {
    for (const [id, raw] of Object.entries(link.taskRecords ?? {})) {
      const h = parseTaskHistory(raw);
      if (h) histories.set(id, h);
    }
  }
  for (const m of taskMappings(inputs)) {
    for (const u of Object.values(m.units)) {
      if (!u.kakaoId || !u.task) continue;
      const uid = `task-${u.kakaoId}@talkcal-sync`;
      const completedOn = (histories.get(u.kakaoId)?.records ?? [])
        .filter((r) => r.complete)
        .map((r) => r.date);
      const hash = createHash('sha256')
        .update(JSON.stringify([u.task, u.completed === true, completedOn]))
        .digest('base64url');
      const old = versions.get(uid);
      const version = nextVersion(old, hash, now);
      if (version !== old) changed.set(uid, version);
      tasks.push({
        kakaoId: u.kakaoId,
        task: u.task,
        completed: u.completed === true,
        ...(completedOn.length > 0 ? { completedOn } : {}),
        lastModified: version.lastModified,
        sequence: version.sequence,
      });
    }
  }
  return { body: renderTasksFeed(tasks, { ...meta, zone: inputs.zone }), changed };
}
