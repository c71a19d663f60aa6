// Keeps at most `max` entries, those with the smallest distance (ties: the earlier added), while
// entries stream in: memory stays O(max) whatever the input holds. Entries with equal keys are
// one entry; `choose` decides which of two such entries stays.

export class NearestKept<T> {
  private readonly entries: { key: string; distance: number; order: number; value: T }[] = [];
  private readonly byKey = new Map<string, number>();
  private added = 0;
  /** The largest distance kept at the last pruning (while full): farther entries are turned away. */
  private cutoff = Number.POSITIVE_INFINITY;
  /** Entries turned away or evicted (each distinct key counts once per time it was dropped). */
  dropped = 0;

  constructor(
    private readonly max: number,
    private readonly choose: (kept: T, candidate: T) => T,
  ) {}

  /** `build` makes the value only when the entry is kept (or replaces one). */
  offer(key: string, distance: number, build: () => T): void {
    const at = this.byKey.get(key);
    if (at !== undefined) {
      const entry = this.entries[at];
      if (entry) entry.value = this.choose(entry.value, build());
      return;
    }
    if (distance >= this.cutoff) {
      this.dropped++;
      return;
    }
    this.byKey.set(key, this.entries.length);
    this.entries.push({ key, distance, order: this.added++, value: build() });
    // Prune in batches: sorting 2 × max entries now and then is O(n log max) over the stream.
    if (this.entries.length >= 2 * this.max) this.prune();
  }

  /** The kept values, in the order they were added. */
  values(): T[] {
    this.prune();
    return [...this.entries].sort((a, b) => a.order - b.order).map((e) => e.value);
  }

  private prune(): void {
    this.entries.sort((a, b) => a.distance - b.distance || a.order - b.order);
    if (this.entries.length >= this.max) {
      this.dropped += this.entries.length - this.max;
      this.entries.length = this.max;
      this.cutoff = this.entries[this.max - 1]?.distance ?? Number.POSITIVE_INFINITY;
    }
    this.byKey.clear();
    for (const [i, e] of this.entries.entries()) this.byKey.set(e.key, i);
  }
}
