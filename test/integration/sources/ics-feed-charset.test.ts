import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { fetchFeed } from '../../../src/sources/ics-feed/fetch.js';
import { IcsFeedStorage } from '../../../src/sources/ics-feed/storage.js';
import { readSource } from '../../../src/sync/read-source.js';
import { emptyLinkState } from '../../../src/sync/store/mapping.js';
import { encodeEucKr } from '../../support/euc-kr.js';
import { ev, item, link, NOW } from '../../support/sync-fixtures.js';
import { calendarText, type FeedServer, startFeedServer } from './feed-server.js';

// Feeds whose bytes are not clean UTF-8, served over HTTP and read by the fetcher, the feed storage
// and the sync's source reader (where the warnings reach the link's status).

const settings: Config['sources']['ics'] = {
  timeoutMs: 5_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'talkcal-test',
};

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

const serve = (body: Buffer, headers: Record<string, string> = {}) =>
  server.handle((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  });

const fetchText = async () => {
  const res = await fetchFeed(server.url(), { allowHosts: ['127.0.0.1'] });
  if (res.notModified) throw new Error('unexpected 304');
  return res;
};

const koreanFeed = calendarText('k1', 'k2')
  .replace('SUMMARY:Event k1', 'SUMMARY:주간 회의')
  .replace('SUMMARY:Event k2', 'SUMMARY:팀 점심');

/** The UTF-8 bytes of the Korean feed with one stray byte just before the second title. */
function koreanWithOneBadByte(): Buffer {
  const good = Buffer.from(koreanFeed);
  const at = good.indexOf(Buffer.from('SUMMARY:팀'));
  return Buffer.concat([
    good.subarray(0, at + 'SUMMARY:'.length),
    Buffer.from([0xfe]),
    good.subarray(at + 8),
  ]);
}

describe('feed charsets over HTTP', () => {
  it('keeps the Korean titles of a UTF-8 feed with one bad byte and warns with the count', async () => {
    serve(koreanWithOneBadByte(), { 'content-type': 'text/calendar; charset=utf-8' });
    const res = await fetchText();
    expect(res.encoding).toBe('utf-8');
    expect(res.text).toContain('SUMMARY:주간 회의');
    expect(res.text).toContain('SUMMARY:\ufffd팀 점심');
    expect(res.warnings).toEqual([expect.objectContaining({ code: 'invalid-sequences', replaced: 1 })]);
  });

  it('decodes a feed declared EUC-KR', async () => {
    serve(encodeEucKr(koreanFeed), { 'content-type': 'text/calendar; charset=EUC-KR' });
    const res = await fetchText();
    expect(res.encoding).toBe('euc-kr');
    expect(res.text).toBe(koreanFeed);
    expect(res.warnings).toEqual([]);
  });

  it('decodes an undeclared windows-1252 feed with a warning naming the charset', async () => {
    serve(Buffer.from(calendarText('w').replace('Event w', 'Caf\xe9 \x80 5'), 'latin1'), {
      'content-type': 'text/calendar',
    });
    const res = await fetchText();
    expect(res.encoding).toBe('windows-1252');
    expect(res.text).toContain('SUMMARY:Café € 5');
    expect(res.warnings).toEqual([
      expect.objectContaining({ code: 'legacy-charset', encoding: 'windows-1252' }),
    ]);
  });

  it('reads UTF-8 bytes behind a wrong utf-16 declaration, with a warning', async () => {
    serve(Buffer.from(koreanFeed), { 'content-type': 'text/calendar; charset=utf-16' });
    const res = await fetchText();
    expect(res.text).toBe(koreanFeed);
    expect(res.warnings).toEqual([
      expect.objectContaining({ code: 'declared-charset-ignored', declared: 'utf-16', encoding: 'utf-8' }),
    ]);
  });
});

describe('charset warnings in the link status', () => {
  const deps = () => ({
    storage: new IcsFeedStorage({ url: server.url(), settings, allowHosts: ['127.0.0.1'] }),
    translateMany: async (items: { uid: string }[]) =>
      items.map((i) => ({ ok: true as const, desired: item(i.uid, ev(i.uid, NOW)) })),
  });

  it('reports the replaced-sequence count among the source warnings of a run', async () => {
    serve(koreanWithOneBadByte());
    const read = await readSource(link(), emptyLinkState(), deps(), false);
    expect(read.warnings).toEqual(['feed charset: 1 invalid utf-8 sequence replaced with U+FFFD']);
  });

  it('keeps reporting it while the same bytes are served (listing unchanged)', async () => {
    serve(koreanWithOneBadByte());
    const first = await readSource(link(), emptyLinkState(), deps(), false);
    const state = { ...emptyLinkState(), cursor: first.list.cursor };
    const again = await readSource(link(), state, deps(), false);
    expect(again.list.unchanged).toBe(true);
    expect(again.warnings).toEqual(first.warnings);
  });

  it('reports nothing for a clean feed', async () => {
    serve(Buffer.from(koreanFeed));
    const read = await readSource(link(), emptyLinkState(), deps(), false);
    expect(read.warnings).toEqual([]);
  });
});
