// One user's events, indexed so a 31-day list touches only nearby months: one-time events sit in
// month buckets (every month they overlap), recurring series in one set expanded per query.
import type { StoredEvent } from './model.js';

const wideSpanMonths = 36;

function monthNumber(date: Date): number {
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

export class EventIndex {
  readonly byId = new Map<string, StoredEvent>();
  private readonly months = new Map<number, Set<StoredEvent>>();
  private readonly recurring = new Set<StoredEvent>();
  /** One-time events spanning more than `wideSpanMonths` months. */
  private readonly wide = new Set<StoredEvent>();

  get size(): number {
    return this.byId.size;
  }

  add(event: StoredEvent): void {
    this.byId.set(event.id, event);
    this.place(event);
  }

  remove(event: StoredEvent): void {
    this.byId.delete(event.id);
    this.unplace(event);
  }

  /** Call around any change of `time` or `rrule`: `index.reindex(e, () => { e.time = … })`. */
  reindex(event: StoredEvent, change: () => void): void {
    this.unplace(event);
    try {
      change();
    } finally {
      this.place(event);
    }
  }

  /** Every event that may overlap [from, to): one-time ones by bucket, all recurring series. */
  candidates(from: Date, to: Date): { single: Set<StoredEvent>; recurring: Set<StoredEvent> } {
    const single = new Set<StoredEvent>(this.wide);
    const last = monthNumber(new Date(Math.max(from.getTime(), to.getTime() - 1)));
    for (let m = monthNumber(from); m <= last; m++) {
      const bucket = this.months.get(m);
      if (bucket) for (const e of bucket) single.add(e);
    }
    return { single, recurring: this.recurring };
  }

  all(): IterableIterator<StoredEvent> {
    return this.byId.values();
  }

  private span(event: StoredEvent): [number, number] {
    const { start, end } = event.time;
    const endMonth = monthNumber(new Date(Math.max(start.getTime(), end.getTime() - 1)));
    return [monthNumber(start), endMonth];
  }

  private place(event: StoredEvent): void {
    if (event.rrule !== undefined) {
      this.recurring.add(event);
      return;
    }
    const [first, last] = this.span(event);
    if (last - first > wideSpanMonths) {
      this.wide.add(event);
      return;
    }
    for (let m = first; m <= last; m++) {
      let bucket = this.months.get(m);
      if (!bucket) {
        bucket = new Set();
        this.months.set(m, bucket);
      }
      bucket.add(event);
    }
  }

  private unplace(event: StoredEvent): void {
    this.recurring.delete(event);
    this.wide.delete(event);
    const [first, last] = this.span(event);
    if (last - first > wideSpanMonths) return;
    for (let m = first; m <= last; m++) {
      const bucket = this.months.get(m);
      bucket?.delete(event);
      if (bucket?.size === 0) this.months.delete(m);
    }
  }
}
