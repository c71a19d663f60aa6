import type { Cluster, Redis } from 'ioredis';
import type { EventSpecial } from '../kakao/types.js';
import { kakaoEventToVevents } from '../translate/kakao-to-ical.js';
import type { VeventSpec } from '../translate/vevent-spec.js';
import type { PublishKeys } from './keys.js';

// The Korean holiday calendar (Kakao's "holidays and celebrations", admin key), shared by every
// user's holidays feed. Serving never calls Kakao: `refresh` (admin API / CLI, e.g. daily from
// cron) stores the list in Redis, and feeds are built from that copy.

export interface StoredHolidays {
  fetchedAt: string;
  from: string;
  to: string;
  events: EventSpecial[];
}

export type ListHolidays = (range: { from: Date; to: Date }) => Promise<EventSpecial[]>;

export class HolidayCache {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: PublishKeys,
  ) {}

  /** Reads the holidays of [from, to) from Kakao (one call per 31 days) and stores them. */
  async refresh(
    list: ListHolidays,
    range: { from: Date; to: Date },
    now = new Date(),
  ): Promise<StoredHolidays> {
    const events = await list(range);
    const stored: StoredHolidays = {
      fetchedAt: now.toISOString(),
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      events,
    };
    await this.redis.set(this.keys.holidays(), JSON.stringify(stored));
    return stored;
  }

  /** The raw stored JSON ('' when never refreshed). */
  async raw(): Promise<string> {
    return (await this.redis.get(this.keys.holidays())) ?? '';
  }
}

/** Stored holidays (raw JSON) → all-day VEVENT specs; holidays proper are marked in the title. */
export function holidaySpecs(raw: string, zone: string, horizon: { from: Date; to: Date }): VeventSpec[] {
  let stored: StoredHolidays | undefined;
  try {
    stored = raw ? (JSON.parse(raw) as StoredHolidays) : undefined;
  } catch {
    stored = undefined;
  }
  const specs: VeventSpec[] = [];
  for (const h of stored?.events ?? []) {
    if (typeof h?.id !== 'string' || typeof h.time?.start_at !== 'string') continue;
    const brief = { id: `holiday-${h.id}`, title: h.title, time: { ...h.time, time_zone: zone } };
    specs.push(...kakaoEventToVevents(brief, { horizon, zone, otherApps: 'hide' }));
  }
  return specs.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
}

/** When the stored list was read from Kakao, or undefined. */
export function holidaysFetchedAt(raw: string): string | undefined {
  try {
    return raw ? (JSON.parse(raw) as StoredHolidays).fetchedAt : undefined;
  } catch {
    return undefined;
  }
}
