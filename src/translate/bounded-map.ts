// A Map that forgets its oldest entries past a size: the module-level caches of translation are
// keyed by feed content (zone names, VTIMEZONE blocks), so an unbounded one would grow with
// whatever hostile feeds send. Reads do not reorder (they are on hot paths); keys longer than
// `maxKeyLength` are not cached at all.

export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(
    readonly maxEntries: number,
    private readonly maxKeyLength = 1024,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): this {
    if (typeof key === 'string' && key.length > this.maxKeyLength) return this;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) {
      // A Map iterates in insertion order: the first key is the oldest.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return this;
  }

  clear(): void {
    this.entries.clear();
  }
}
