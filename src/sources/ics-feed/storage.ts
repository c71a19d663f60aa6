// A published ICS feed seen through the Storage contract: read-only, always listed in full, with
// per-item versions made from content hashes. An unchanged feed (304, or the same bytes from a
// server that ignores validators) is reported as unchanged without being parsed.
import type { Config } from '../../config/schema.js';
import { type Logger, safeUrl } from '../../log.js';
import { defaultLimits } from '../../translate/limits.js';
import { type SplitLimits, type SplitProblem, type SplitResult, splitCalendar } from '../ics-split.js';
import type { ResolveAll } from '../ssrf.js';
import type { FetchedItem, ItemRef, ListResult, SourceItem, Storage } from '../storage.js';
import { type CalendarLooks, calendarLooksOf } from './calendar-looks.js';
import { decodeCursor, encodeCursor, type FeedCursor } from './cursor.js';
import { FeedHttpError, FeedParseError, ReadOnlyStorageError } from './errors.js';
import { type FeedResponse, type FetchFeedOptions, fetchFeed } from './fetch.js';
import { itemEtag } from './item-etag.js';

export interface IcsFeedStorageOptions {
  /** The feed URL (http, https or webcal; may carry user:password). */
  url: string;
  settings: Config['sources']['ics'];
  /** Hosts or addresses exempt from the SSRF guard (sources.allowHosts). */
  allowHosts: readonly string[];
  /** Extra request headers, e.g. an Authorization the feed needs. */
  headers?: Record<string, string>;
  logger?: Logger;
  resolveAll?: ResolveAll;
  /** Splits the body into items; the daemon runs it on a translation thread. Default: in-process. */
  split?: (text: string, limits: SplitLimits, near: number) => Promise<SplitResult>;
  /** The transport (tests may count or fake calls). */
  fetch?: (url: string, opts: FetchFeedOptions) => Promise<FeedResponse>;
  /** Bounds on what the feed may hold (config `limits`); default `defaultLimits`. */
  limits?: SplitLimits;
  /** The clock overrides past limits.maxOverridesPerSeries are ranked by (nearest now kept). */
  now?: () => Date;
}

const maxProblemsLogged = 5;

export class IcsFeedStorage implements Storage {
  readonly readOnly = true;
  readonly description: string;
  /** The items of the last download, and the body hash they came from. */
  private snapshot: { bodyHash: string; items: Map<string, FetchedItem> } | undefined;
  /** The body hash the caller's latest cursor speaks of; getMany must answer from that version. */
  private currentHash: string | undefined;

  constructor(private readonly opts: IcsFeedStorageOptions) {
    this.description = `ICS feed ${safeUrl(opts.url)}`;
  }

  async list(cursor?: string): Promise<ListResult> {
    const previous = decodeCursor(cursor);
    const res = await this.fetch(previous);
    const warnings = res.notModified ? [] : res.warnings.map((w) => `feed charset: ${w.message}`);
    if (res.notModified || (previous && previous.bodyHash === res.bodySha256)) {
      if (!previous) throw new FeedHttpError(this.opts.url, 304);
      this.currentHash = previous.bodyHash;
      const next: FeedCursor = { ...previous, ...res.validators };
      return {
        cursor: encodeCursor(next),
        unchanged: true,
        full: true,
        items: refsOf(previous),
        deleted: [],
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    }
    const { snapshot, problems } = await this.parse(res.text);
    if (problems) warnings.push(...problems);
    this.snapshot = { bodyHash: res.bodySha256, items: snapshot };
    this.currentHash = res.bodySha256;
    const itemEtags = [...snapshot].map(([href, item]): [string, string] => [href, item.etag]);
    const next: FeedCursor = { v: 1, ...res.validators, bodyHash: res.bodySha256, itemEtags };
    return {
      cursor: encodeCursor(next),
      unchanged: false,
      full: true,
      items: refsOf(next),
      deleted: [],
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }

  /** Answers from the last download; fetches only when this instance holds no (or an older) copy. */
  async getMany(hrefs: string[]): Promise<FetchedItem[]> {
    let snapshot = this.snapshot;
    // Another process may have moved the cursor past what this instance downloaded: fetch again.
    if (!snapshot || (this.currentHash !== undefined && snapshot.bodyHash !== this.currentHash)) {
      const res = await this.fetch(undefined);
      if (res.notModified) throw new FeedHttpError(this.opts.url, 304);
      snapshot = { bodyHash: res.bodySha256, items: (await this.parse(res.text)).snapshot };
      this.snapshot = snapshot;
      this.currentHash = res.bodySha256;
    }
    const items = snapshot.items;
    return hrefs.flatMap((href) => items.get(href) ?? []);
  }

  /** The feed's calendar-level name and colour (one download; for creating a sub-calendar). */
  async calendarLooks(): Promise<CalendarLooks> {
    const res = await this.fetch(undefined);
    return res.notModified ? {} : calendarLooksOf(res.text);
  }

  upload(_item: SourceItem): Promise<ItemRef> {
    return Promise.reject(new ReadOnlyStorageError(this.description, 'upload'));
  }

  update(_href: string, _item: SourceItem, _etag: string): Promise<ItemRef> {
    return Promise.reject(new ReadOnlyStorageError(this.description, 'update'));
  }

  delete(_href: string, _etag: string): Promise<void> {
    return Promise.reject(new ReadOnlyStorageError(this.description, 'delete'));
  }

  private fetch(previous: FeedCursor | undefined): Promise<FeedResponse> {
    const { settings } = this.opts;
    const validators = previous
      ? {
          ...(previous.etag ? { etag: previous.etag } : {}),
          ...(previous.lastModified ? { lastModified: previous.lastModified } : {}),
        }
      : undefined;
    return (this.opts.fetch ?? fetchFeed)(this.opts.url, {
      timeoutMs: settings.timeoutMs,
      maxBytes: settings.maxBytes,
      maxRedirects: settings.maxRedirects,
      allowHosts: this.opts.allowHosts,
      userAgent: settings.userAgent,
      ...(this.opts.headers ? { headers: this.opts.headers } : {}),
      ...(validators ? { validators } : {}),
      ...(this.opts.resolveAll ? { resolveAll: this.opts.resolveAll } : {}),
    }).then((res) => {
      if (!res.notModified && res.warnings.length > 0) {
        this.opts.logger?.warn({ feed: safeUrl(this.opts.url), warnings: res.warnings }, 'ICS feed decoding');
      }
      return res;
    });
  }

  /** The items by href, and one-line accounts of the notices and the broken components skipped. */
  private async parse(text: string): Promise<{ snapshot: Map<string, FetchedItem>; problems?: string[] }> {
    const now = (this.opts.now ?? (() => new Date()))().getTime();
    const split =
      this.opts.split ?? (async (t: string, l: SplitLimits, at: number) => splitCalendar(t, l, at));
    const { items, problems, truncated, limitExceeded } = await split(
      text,
      this.opts.limits ?? defaultLimits,
      now,
    );
    // Past limits.maxItemsPerSource the link fails and keeps its Kakao state (a 'user' error).
    if (limitExceeded) throw limitExceeded;
    if (truncated) {
      // A cut-off feed lacks its tail: taking it would delete every event that was in the tail.
      const line = problems.find((p) => p.message.startsWith('VCALENDAR not closed'))?.line ?? 1;
      throw new FeedParseError(this.opts.url, line, 'the calendar is cut off (no END:VCALENDAR)');
    }
    const broken = problems.filter((p) => p.code === undefined);
    if (broken.length > 0) {
      this.opts.logger?.warn(
        {
          feed: safeUrl(this.opts.url),
          problems: broken.length,
          first: broken.slice(0, maxProblemsLogged),
        },
        'ICS feed has broken components (skipped)',
      );
    }
    const snapshot = new Map<string, FetchedItem>();
    for (const item of items) snapshot.set(item.uid, { href: item.uid, etag: itemEtag(item.ics), item });
    const lines = [...noticeLines(problems)];
    const first = broken[0];
    if (first) {
      const more = broken.length > 1 ? ` (and ${broken.length - 1} more)` : '';
      lines.push(`feed has broken components, skipped: line ${first.line}: ${first.message}${more}`);
    }
    return lines.length === 0 ? { snapshot } : { snapshot, problems: lines };
  }
}

/** One line per kind of notice (a reading chosen, nothing skipped): the first, and how many more. */
function noticeLines(problems: SplitProblem[]): string[] {
  const byCode = new Map<string, { first: SplitProblem; count: number }>();
  for (const p of problems) {
    if (!p.code) continue;
    const seen = byCode.get(p.code);
    if (seen) seen.count++;
    else byCode.set(p.code, { first: p, count: 1 });
  }
  return [...byCode.values()].map(({ first, count }) => {
    const more = count > 1 ? ` (and ${count - 1} more)` : '';
    return `feed: line ${first.line}: ${first.message}${more}`;
  });
}

function refsOf(cursor: FeedCursor): ItemRef[] {
  return cursor.itemEtags.map(([href, etag]) => ({ href, etag }));
}
