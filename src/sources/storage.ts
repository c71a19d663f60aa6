// The one contract every source backend implements (after vdirsyncer's Storage): list items with
// their versions, read them, and — unless read-only — write them guarded by those versions.

/** One calendar object: a VCALENDAR holding one UID's master and overrides (and the VTIMEZONEs it uses). */
export interface SourceItem {
  /** The iCalendar UID (a recurring master and its overrides share it). */
  uid: string;
  kind: 'event' | 'todo';
  /** The full iCalendar text of the object. */
  ics: string;
  /**
   * Overrides the splitter left out of `ics` (past limits.maxOverridesPerSeries, the farthest from
   * the instant it was given), so translation can say so.
   */
  ignoredOverrides?: number;
}

export interface ItemRef {
  href: string;
  /** A version tag: the server's ETag (CalDAV) or a content hash (ICS feeds). */
  etag: string;
}

export interface ListResult {
  /** Opaque state the caller stores and hands back next time (sync-token, ctag, feed validators). */
  cursor: string;
  /** Nothing changed since the cursor: the caller can skip the link entirely. */
  unchanged: boolean;
  /** true: `items` is the whole collection. false: a delta since the cursor (changed + `deleted`). */
  full: boolean;
  items: ItemRef[];
  /** hrefs removed since the cursor (delta mode only). */
  deleted: string[];
  /** Problems reading the source as a whole (e.g. a feed's charset guessed), for the link's status. */
  warnings?: string[];
}

export interface FetchedItem extends ItemRef {
  item: SourceItem;
}

export interface Storage {
  readonly readOnly: boolean;
  /** Human-readable origin for errors and status (credentials stripped). */
  readonly description: string;
  list(cursor?: string): Promise<ListResult>;
  /** Reads several items at once (CalDAV calendar-multiget; free for a feed already fetched). */
  getMany(hrefs: string[]): Promise<FetchedItem[]>;
  /** Creates an item; fails with an ItemExistsError if the href is taken (If-None-Match: *). */
  upload(item: SourceItem): Promise<ItemRef>;
  /** Replaces an item if its version is still `etag` (If-Match); else a PreconditionFailedError. */
  update(href: string, item: SourceItem, etag: string): Promise<ItemRef>;
  /** Deletes an item if its version is still `etag`; a missing item counts as deleted. */
  delete(href: string, etag: string): Promise<void>;
}
