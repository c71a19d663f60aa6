import { createHash } from 'node:crypto';
import { ItemExistsError, PreconditionFailedError, ReadOnlyStorageError } from '../errors.js';
import type { FetchedItem, ItemRef, ListResult, SourceItem, Storage } from '../storage.js';

// An in-memory Storage: the fake behind planner, apply and model tests. It behaves like a strict
// CalDAV collection (etag-guarded writes, If-None-Match creates) and answers `unchanged` when
// nothing changed since the cursor, like a feed whose validators match.

const etagOf = (ics: string, version: number) =>
  `"${createHash('sha256').update(ics).digest('hex').slice(0, 12)}-${version}"`;

export class MemoryStorage implements Storage {
  readonly description: string;
  private readonly items = new Map<string, FetchedItem>();
  private version = 0;
  /** Calls made, by method (tests assert on them). */
  readonly calls = { list: 0, getMany: 0, upload: 0, update: 0, delete: 0 };

  constructor(
    readonly readOnly = false,
    name = 'memory',
  ) {
    this.description = `memory:${name}`;
  }

  static hrefOf(uid: string): string {
    return `${encodeURIComponent(uid)}.ics`;
  }

  list(cursor?: string): Promise<ListResult> {
    this.calls.list++;
    const now = String(this.version);
    const unchanged = cursor === now;
    const items = unchanged ? [] : [...this.items.values()].map(({ href, etag }) => ({ href, etag }));
    return Promise.resolve({ cursor: now, unchanged, full: true, items, deleted: [] });
  }

  getMany(hrefs: string[]): Promise<FetchedItem[]> {
    this.calls.getMany++;
    return Promise.resolve(
      hrefs.flatMap((h) => (this.items.has(h) ? [structuredClone(this.items.get(h)!)] : [])),
    );
  }

  upload(item: SourceItem): Promise<ItemRef> {
    this.calls.upload++;
    if (this.readOnly) return Promise.reject(new ReadOnlyStorageError(this.description));
    const href = MemoryStorage.hrefOf(item.uid);
    if (this.items.has(href)) return Promise.reject(new ItemExistsError(href, this.description));
    return Promise.resolve(this.put(href, item));
  }

  update(href: string, item: SourceItem, etag: string): Promise<ItemRef> {
    this.calls.update++;
    if (this.readOnly) return Promise.reject(new ReadOnlyStorageError(this.description));
    const current = this.items.get(href);
    if (!current || current.etag !== etag) {
      return Promise.reject(new PreconditionFailedError(href, etag, this.description));
    }
    return Promise.resolve(this.put(href, item));
  }

  delete(href: string, etag: string): Promise<void> {
    this.calls.delete++;
    if (this.readOnly) return Promise.reject(new ReadOnlyStorageError(this.description));
    const current = this.items.get(href);
    if (!current) return Promise.resolve();
    if (current.etag !== etag)
      return Promise.reject(new PreconditionFailedError(href, etag, this.description));
    this.items.delete(href);
    this.version++;
    return Promise.resolve();
  }

  // ---- test helpers: edits made "by the user" directly in the source ----

  /** Creates or replaces an item regardless of its version. */
  set(item: SourceItem): ItemRef {
    return this.put(MemoryStorage.hrefOf(item.uid), item);
  }

  remove(uid: string): boolean {
    const gone = this.items.delete(MemoryStorage.hrefOf(uid));
    if (gone) this.version++;
    return gone;
  }

  clear(): void {
    this.items.clear();
    this.version++;
  }

  all(): SourceItem[] {
    return [...this.items.values()].map((f) => structuredClone(f.item));
  }

  get size(): number {
    return this.items.size;
  }

  private put(href: string, item: SourceItem): ItemRef {
    this.version++;
    const ref = { href, etag: etagOf(item.ics, this.version) };
    this.items.set(href, { ...ref, item: structuredClone(item) });
    return ref;
  }
}
