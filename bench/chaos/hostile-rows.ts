import type { FeedHandler } from './feed-host.js';
import type { FeedEvent } from './feed-model.js';
import {
  binaryGarbage,
  deepNesting,
  endlessBody,
  gzipBomb,
  hugeDescription,
  invalidUtf8,
  manyOverrides,
  secondlyRule,
  streamedBody,
} from './hostile-bodies.js';
import type { Rng } from './rng.js';

// The hostile inputs of scenario 4, one row each: what the hostile user's source turns into after
// its good version was synced, and what its link's report must name (the problem or the bound that
// caught it: a limits.* / sources.* key or the offending construct). The rows marked quick run in
// CI: one per kind of defence (translation bounds, body caps, charset, CalDAV).

export interface HostileRow {
  id: string;
  title: string;
  /** Part of the quick run too. */
  quick: boolean;
  /** The pattern the link's error, warnings or quarantine reasons must match. */
  names: RegExp;
  /** An ICS body (or handler) replacing the good feed; undefined = the CalDAV row (its fake turns hostile). */
  body?: (good: readonly FeedEvent[], rng: Rng) => string | Buffer | FeedHandler;
}

export const hostileRows: HostileRow[] = [
  {
    id: 'secondly',
    title: 'RRULE:FREQ=SECONDLY;COUNT=1000000000',
    quick: true,
    names:
      /maxOccurrencesPerEvent|maxRuleIterations|translateTimeoutMs|translateMemoryMb|occurrences|SECONDLY/i,
    body: (good) => secondlyRule(good),
  },
  {
    id: 'overrides',
    title: '100,000 RECURRENCE-ID overrides of one series',
    quick: true,
    names: /maxOverridesPerSeries|translateTimeoutMs|translateMemoryMb|overrides|RECURRENCE-ID/i,
    body: (good) => manyOverrides(good, 100_000),
  },
  {
    id: 'bad-utf8',
    title: 'one invalid UTF-8 byte in a Korean feed',
    quick: true,
    names: /UTF-?8|charset|encoding|invalid byte|decod/i,
    body: (good) => invalidUtf8(good),
  },
  {
    id: 'description-1mb',
    title: 'a 1 MiB DESCRIPTION',
    quick: false,
    names: /maxPropertyChars|DESCRIPTION|too long|characters/i,
    body: (good) => hugeDescription(good),
  },
  {
    id: 'body-50mb',
    title: 'a 50 MiB body (chunked, no Content-Length)',
    quick: false,
    names: /maxBytes|larger than|too large/i,
    body: (good) => streamedBody(good, 50 * 1024 * 1024),
  },
  {
    id: 'endless',
    title: 'an endless body (an event every 50 ms, never finished)',
    quick: false,
    names: /timeoutMs|no complete answer|timed? ?out|maxBytes|larger than/i,
    body: (good) => endlessBody(good),
  },
  {
    id: 'gzip-bomb',
    title: 'a gzip bomb (Content-Encoding: gzip, 5 GiB expanded)',
    quick: false,
    names: /maxBytes|larger than|too large|compress/i,
    body: (good) => gzipBomb(good, 5),
  },
  {
    id: 'binary',
    title: '2 MiB of binary garbage as text/calendar',
    quick: false,
    names: /not an iCalendar|VCALENDAR|binary/i,
    body: (_good, rng) => binaryGarbage(rng, 2 * 1024 * 1024),
  },
  {
    id: 'nested',
    title: '10,000 nested BEGIN:VEVENT',
    quick: false,
    names: /nest|depth|never closed|not closed|component/i,
    body: (good) => deepNesting(good, 10_000),
  },
  {
    id: 'caldav-xml',
    title: 'invalid CalDAV XML (entities, 100,000 unclosed elements)',
    quick: true,
    names: /XML|malformed|multistatus|DOCTYPE/i,
  },
];
