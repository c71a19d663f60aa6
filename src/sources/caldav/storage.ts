import { safeUrl } from '../../log.js';
import {
  ItemExistsError,
  PreconditionFailedError,
  ReadOnlyStorageError,
  SourceLimitError,
} from '../errors.js';
import type { FetchedItem, ItemRef, ListResult, SourceItem, Storage } from '../storage.js';
import { inspectCalendarObject } from './calendar-object.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  CaldavMalformedResponseError,
  CaldavNotCalendarDataError,
  CaldavServerError,
  CaldavSyncTokenInvalidError,
  CaldavWrongKindError,
} from './errors.js';
import { hrefUrl, normalizeHref, objectHrefFor, sameResource } from './hrefs.js';
import { type MultistatusEntry, prop, textProp } from './multistatus.js';
import {
  type CollectionState,
  listEtags,
  multiget,
  readCollectionState,
  readEtag,
  syncCollection,
} from './reports.js';
import {
  type CaldavConnection,
  DavTransport,
  isSuccess,
  normalizeConnection,
  statusError,
} from './transport.js';
import { CALDAV, DAV } from './xml.js';

const isCreated = (status: number) => status === 200 || status === 201 || status === 204;

export interface CaldavStorageOptions extends CaldavConnection {
  /** Which component this storage reads and writes; a collection may hold both. */
  kind: 'event' | 'todo';
  readOnly?: boolean;
  /** hrefs per calendar-multiget request. */
  multigetBatchSize?: number;
  /** At most this many objects of the kind (limits.maxItemsPerSource); more is a SourceLimitError. */
  maxItems?: number;
  /** Objects whose body is not usable iCalendar are skipped and reported here. */
  onItemError?: (error: CaldavNotCalendarDataError) => void;
}

/**
 * One CalDAV collection, one component kind. Reads are incremental (sync-collection, else ctag);
 * writes are guarded by ETags. Text is stored and returned exactly as given/sent.
 *
 * A delta (`full: false`) is not filtered by kind: sync-collection does not say what an object
 * holds, so it may list hrefs of the other kind; `getMany` leaves those out.
 */
export class CaldavStorage implements Storage {
  readonly readOnly: boolean;
  readonly description: string;
  private readonly transport: DavTransport;
  private readonly collectionUrl: string;

  private readonly options: CaldavStorageOptions;

  constructor(options: CaldavStorageOptions) {
    this.options = normalizeConnection(options);
    this.collectionUrl = this.options.url.endsWith('/') ? this.options.url : `${this.options.url}/`;
    this.readOnly = options.readOnly ?? false;
    this.description = `CalDAV ${options.kind === 'event' ? 'events' : 'to-dos'} at ${safeUrl(this.collectionUrl)}`;
    this.transport = new DavTransport(this.options);
  }

  async list(cursor?: string): Promise<ListResult> {
    const previous = decodeCursor(cursor);
    if (previous.syncToken) {
      try {
        return await this.delta(previous.syncToken);
      } catch (error) {
        // Xandikos answers an unknown token with a 500: a full listing tells a dead server apart.
        if (!(error instanceof CaldavSyncTokenInvalidError || error instanceof CaldavServerError))
          throw error;
      }
    } else if (previous.ctag) {
      const state = await readCollectionState(this.transport, this.collectionUrl);
      if (state.ctag === previous.ctag) {
        return { cursor: encodeCursor(state), unchanged: true, full: false, items: [], deleted: [] };
      }
      return this.fullListing(state);
    }
    return this.fullListing();
  }

  async getMany(hrefs: string[]): Promise<FetchedItem[]> {
    const batchSize = this.options.multigetBatchSize ?? 200;
    const fetched: FetchedItem[] = [];
    for (let start = 0; start < hrefs.length; start += batchSize) {
      const batch = hrefs.slice(start, start + batchSize).map((h) => normalizeHref(this.collectionUrl, h));
      const entries = await multiget(this.transport, this.collectionUrl, batch);
      for (const entry of entries) {
        // Hand back the href as asked for, even if the server spells it differently.
        const asked = batch.find((h) => sameResource(this.collectionUrl, h, entry.href));
        if (!asked) continue;
        const item = this.toFetchedItem(entry, asked);
        if (item) fetched.push(item);
      }
    }
    return fetched;
  }

  async upload(item: SourceItem): Promise<ItemRef> {
    this.checkWritable(item);
    const href = objectHrefFor(this.collectionUrl, item.uid);
    const url = hrefUrl(this.collectionUrl, href);
    const response = await this.transport.send('PUT', url, {
      headers: { 'If-None-Match': '*', 'Content-Type': 'text/calendar; charset=utf-8' },
      body: item.ics,
    });
    // 412: the href is taken. no-uid-conflict: the UID lives at another href (Radicale: 409,
    // Xandikos: a 207 with a 412 inside).
    if (response.status === 412 || (/no-uid-conflict/.test(response.body) && !isCreated(response.status))) {
      throw new ItemExistsError(href, this.description);
    }
    if (response.status === 207) throw new CaldavMalformedResponseError(url, 'PUT answered 207 Multi-Status');
    if (!isSuccess(response.status)) throw statusError(response.status, 'PUT', url);
    return { href, etag: await this.etagAfterWrite(url, response.headers.get('etag')) };
  }

  async update(href: string, item: SourceItem, etag: string): Promise<ItemRef> {
    this.checkWritable(item);
    const path = normalizeHref(this.collectionUrl, href);
    const url = hrefUrl(this.collectionUrl, path);
    const response = await this.transport.send('PUT', url, {
      headers: { 'If-Match': etag, 'Content-Type': 'text/calendar; charset=utf-8' },
      body: item.ics,
    });
    const failedInside = response.status === 207 && /HTTP\/\d(\.\d)?\s+412/.test(response.body);
    if (response.status === 412 || response.status === 404 || response.status === 410 || failedInside) {
      throw new PreconditionFailedError(path, etag, this.description);
    }
    if (response.status === 207) throw new CaldavMalformedResponseError(url, 'PUT answered 207 Multi-Status');
    if (!isSuccess(response.status)) throw statusError(response.status, 'PUT', url);
    return { href: path, etag: await this.etagAfterWrite(url, response.headers.get('etag')) };
  }

  async delete(href: string, etag: string): Promise<void> {
    if (this.readOnly) throw new ReadOnlyStorageError(this.description);
    const path = normalizeHref(this.collectionUrl, href);
    const url = hrefUrl(this.collectionUrl, path);
    const response = await this.transport.send('DELETE', url, { headers: { 'If-Match': etag } });
    if (isSuccess(response.status) || response.status === 404 || response.status === 410) return;
    if (response.status === 412) {
      // Some servers answer 412 rather than 404 when the object is already gone.
      if ((await readEtag(this.transport, url)) === undefined) return;
      throw new PreconditionFailedError(path, etag, this.description);
    }
    throw statusError(response.status, 'DELETE', url);
  }

  private async delta(syncToken: string): Promise<ListResult> {
    const answer = await syncCollection(this.transport, this.collectionUrl, syncToken);
    const items: ItemRef[] = [];
    const deleted: string[] = [];
    for (const entry of answer.entries) {
      if (sameResource(this.collectionUrl, entry.href, this.collectionUrl)) continue;
      const href = normalizeHref(this.collectionUrl, entry.href);
      if (entry.status === 404 || entry.status === 410) deleted.push(href);
      else items.push({ href, etag: this.requireEtag(entry) });
    }
    this.checkCount(items.length);
    const cursor = encodeCursor({ syncToken: answer.syncToken });
    const unchanged = items.length === 0 && deleted.length === 0;
    return { cursor, unchanged, full: false, items, deleted };
  }

  /** `known` is a collection state read just before, if any. */
  private async fullListing(known?: CollectionState): Promise<ListResult> {
    // The state is read first: a change racing with the listing shows up again in the next delta.
    const state = known ?? (await readCollectionState(this.transport, this.collectionUrl));
    const component = this.options.kind === 'event' ? 'VEVENT' : 'VTODO';
    const entries = await listEtags(this.transport, this.collectionUrl, component);
    const items: ItemRef[] = [];
    for (const entry of entries) {
      if (sameResource(this.collectionUrl, entry.href, this.collectionUrl)) continue;
      if (entry.status !== undefined && !isSuccess(entry.status)) continue;
      items.push({ href: normalizeHref(this.collectionUrl, entry.href), etag: this.requireEtag(entry) });
    }
    this.checkCount(items.length);
    return { cursor: encodeCursor(state), unchanged: false, full: true, items, deleted: [] };
  }

  /** A listing (or a delta, which is never larger than the collection) past the bound stops the link. */
  private checkCount(count: number): void {
    const max = this.options.maxItems;
    if (max !== undefined && count > max)
      throw new SourceLimitError('limits.maxItemsPerSource', max, count, 'the CalDAV collection');
  }

  private toFetchedItem(entry: MultistatusEntry, href: string): FetchedItem | undefined {
    if (entry.status !== undefined && !isSuccess(entry.status)) return undefined; // gone since listed
    const data = prop(entry, CALDAV, 'calendar-data');
    if (!data) return undefined; // the server could not give this object's data (404 propstat)
    const etag = this.requireEtag(entry);
    const inspection = inspectCalendarObject(data.text);
    if (!inspection.ok) {
      this.options.onItemError?.(
        new CaldavNotCalendarDataError(this.collectionUrl, href, inspection.problem),
      );
      return undefined;
    }
    if (inspection.kind !== this.options.kind) return undefined;
    return { href, etag, item: { uid: inspection.uid, kind: inspection.kind, ics: data.text } };
  }

  private requireEtag(entry: MultistatusEntry): string {
    const etag = textProp(entry, DAV, 'getetag');
    if (!etag) throw new CaldavMalformedResponseError(this.collectionUrl, `no ETag for ${entry.href}`);
    return etag;
  }

  private async etagAfterWrite(url: string, etag: string | null): Promise<string> {
    if (etag && !etag.startsWith('W/')) return etag;
    const current = await readEtag(this.transport, url);
    if (!current) throw new CaldavMalformedResponseError(url, 'the object just written cannot be found');
    return current;
  }

  private checkWritable(item: SourceItem): void {
    if (this.readOnly) throw new ReadOnlyStorageError(this.description);
    if (item.kind !== this.options.kind)
      throw new CaldavWrongKindError(this.description, item.uid, item.kind);
  }
}
