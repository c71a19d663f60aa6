import { describe, expect, it } from 'vitest';
import {
  CaldavMalformedResponseError,
  type CaldavNotCalendarDataError,
  CaldavResponseTooLargeError,
  CaldavServerError,
  CaldavUnreachableError,
  CaldavWrongKindError,
} from '../../../src/sources/caldav/errors.js';
import { CaldavStorage } from '../../../src/sources/caldav/storage.js';
import type { CaldavAuth, FetchLike } from '../../../src/sources/caldav/transport.js';
import { PreconditionFailedError, ReadOnlyStorageError } from '../../../src/sources/errors.js';

// CaldavStorage against a scripted server: each test answers requests in order and fails on an
// unexpected one, so hostile and unusual answers can be produced exactly.

const collection = 'https://user:s3cret@dav.example.com/cal/work/';
/** dav.example.com resolves to a public (documentation) address, so the SSRF guard lets it through. */
const network = { allowHosts: [], resolveAll: async () => [{ address: '203.0.113.10', family: 4 }] };
const cleanCollection = 'https://dav.example.com/cal/work/';

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

type Answer = { status: number; body?: string; headers?: Record<string, string> } | Error;

function scripted(answers: Answer[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init) => {
    calls.push({
      method: init?.method ?? 'GET',
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers)),
      body: typeof init?.body === 'string' ? init.body : '',
    });
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${init?.method} ${String(input)}`);
    if (answer instanceof Error) throw answer;
    return new Response(answer.body ?? '', { status: answer.status, headers: answer.headers });
  };
  return { fetch, calls };
}

function storage(
  fetch: FetchLike,
  extra: {
    readOnly?: boolean;
    auth?: CaldavAuth;
    onItemError?: (e: CaldavNotCalendarDataError) => void;
  } = {},
) {
  return new CaldavStorage({
    url: collection,
    kind: 'event',
    auth: extra.auth ?? { kind: 'none' },
    timeoutMs: 5000,
    ...network,
    fetch,
    ...extra,
  });
}

const ms = (responses: string, extra = '') =>
  `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/">${responses}${extra}</d:multistatus>`;
const stateAnswer = (token = 'tok-1', ctag = 'ctag-1'): Answer => ({
  status: 207,
  body: ms(
    `<d:response><d:href>/cal/work/</d:href><d:propstat><d:prop><cs:getctag>${ctag}</cs:getctag><d:sync-token>${token}</d:sync-token></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
  ),
});
const etagResponse = (href: string, etag: string) =>
  `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:getetag>${etag}</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
const dataResponse = (href: string, etag: string, ics: string) =>
  `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:getetag>${etag}</d:getetag><c:calendar-data>${ics.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
const ics = (uid: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

describe('CaldavStorage on hostile answers', () => {
  it.each([
    ['an HTML page with 200', { status: 200, body: '<html>Sign in</html>' }],
    ['invalid XML', { status: 207, body: '<d:multistatus xmlns:d="DAV:"><d:response>' }],
    ['a root other than multistatus', { status: 207, body: '<d:error xmlns:d="DAV:"/>' }],
    [
      'a response without href',
      { status: 207, body: ms('<d:response><d:status>HTTP/1.1 200 OK</d:status></d:response>') },
    ],
    [
      'an unreadable status',
      { status: 207, body: ms('<d:response><d:href>/x</d:href><d:status>weird</d:status></d:response>') },
    ],
    [
      'entity expansion',
      {
        status: 207,
        body: '<!DOCTYPE lol [<!ENTITY a "aaaa">]><d:multistatus xmlns:d="DAV:">&a;</d:multistatus>',
      },
    ],
  ] as const)(
    'a full listing refuses %s with a typed error naming the collection without credentials',
    async (_c, answer) => {
      const { fetch } = scripted([answer]);
      const error = await storage(fetch)
        .list()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CaldavMalformedResponseError);
      expect((error as Error).message).toContain(cleanCollection);
      expect((error as Error).message).not.toContain('s3cret');
    },
  );

  it('refuses listed hrefs without an ETag', async () => {
    const noEtag = `<d:response><d:href>/cal/work/a.ics</d:href><d:propstat><d:prop><d:getetag/></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
    const { fetch } = scripted([stateAnswer(), { status: 207, body: ms(noEtag) }]);
    await expect(storage(fetch).list()).rejects.toBeInstanceOf(CaldavMalformedResponseError);
  });

  it('moves URL credentials into Basic auth and keeps them out of the request URL', async () => {
    const { fetch, calls } = scripted([stateAnswer(), { status: 207, body: ms('') }]);
    await storage(fetch).list();
    expect(calls[0]?.url).toBe(cleanCollection);
    expect(calls[0]?.headers['authorization']).toBe(`Basic ${Buffer.from('user:s3cret').toString('base64')}`);
  });

  it('sends a bearer token', async () => {
    const { fetch, calls } = scripted([stateAnswer(), { status: 207, body: ms('') }]);
    const s = new CaldavStorage({
      url: cleanCollection,
      kind: 'todo',
      auth: { kind: 'bearer', token: 'tok' },
      timeoutMs: 5000,
      ...network,
      fetch,
    });
    await s.list();
    expect(calls.every((c) => c.headers['authorization'] === 'Bearer tok')).toBe(true);
    expect(calls[1]?.body).toContain('<c:comp-filter name="VTODO"/>');
  });

  it('skips objects that are not calendar data, reports them, and returns the rest', async () => {
    const reported: CaldavNotCalendarDataError[] = [];
    const { fetch } = scripted([
      {
        status: 207,
        body: ms(
          dataResponse('/cal/work/good.ics', '"1"', ics('good')) +
            dataResponse('/cal/work/bad.ics', '"2"', '<html>oops</html>') +
            `<d:response><d:href>/cal/work/gone.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>`,
        ),
      },
    ]);
    const items = await storage(fetch, { onItemError: (e) => reported.push(e) }).getMany([
      '/cal/work/good.ics',
      '/cal/work/bad.ics',
      '/cal/work/gone.ics',
    ]);
    expect(items).toEqual([
      { href: '/cal/work/good.ics', etag: '"1"', item: { uid: 'good', kind: 'event', ics: ics('good') } },
    ]);
    expect(reported).toHaveLength(1);
    expect(reported[0]?.scope).toBe('item');
    expect(reported[0]?.href).toBe('/cal/work/bad.ics');
    expect(reported[0]?.message).toContain(cleanCollection);
  });

  it('returns hrefs as asked even when the server spells them differently, and ignores ones not asked for', async () => {
    const { fetch } = scripted([
      {
        status: 207,
        body: ms(
          dataResponse('https://dav.example.com/cal/work/a%40b.ics', '"1"', ics('a@b')) +
            dataResponse('/cal/work/unasked.ics', '"2"', ics('x')),
        ),
      },
    ]);
    const items = await storage(fetch).getMany(['/cal/work/a@b.ics']);
    expect(items.map((i) => [i.href, i.item.uid])).toEqual([['/cal/work/a@b.ics', 'a@b']]);
  });

  it('refuses calendar data without an ETag', async () => {
    const noEtag = `<d:response><d:href>/cal/work/a.ics</d:href><d:propstat><d:prop><c:calendar-data>${ics('a')}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
    const { fetch } = scripted([{ status: 207, body: ms(noEtag) }]);
    await expect(storage(fetch).getMany(['/cal/work/a.ics'])).rejects.toBeInstanceOf(
      CaldavMalformedResponseError,
    );
  });

  it('re-reads the ETag when a write answer has none', async () => {
    const { fetch, calls } = scripted([
      { status: 201 },
      { status: 207, body: ms(etagResponse('/x', '"fresh"')) },
    ]);
    const ref = await storage(fetch).upload({ uid: 'u1', kind: 'event', ics: ics('u1') });
    expect(ref.etag).toBe('"fresh"');
    expect(calls[0]?.headers['if-none-match']).toBe('*');
    expect(calls[0]?.body).toBe(ics('u1'));
    expect(calls[1]?.method).toBe('PROPFIND');
    expect(calls[1]?.url).toBe(`https://dav.example.com${ref.href}`);
  });

  it('reads a 207 with a 412 inside a PUT answer as a failed precondition (Xandikos)', async () => {
    const inside = ms(
      '<d:response><d:href>/cal/work/a.ics</d:href><d:status>HTTP/1.1 412 Precondition Failed</d:status></d:response>',
    );
    const { fetch } = scripted([
      { status: 207, body: inside },
      {
        status: 207,
        body: ms('<d:response><d:href>/x</d:href><d:status>HTTP/1.1 200 OK</d:status></d:response>'),
      },
    ]);
    const s = storage(fetch);
    await expect(
      s.update('/cal/work/a.ics', { uid: 'a', kind: 'event', ics: ics('a') }, '"1"'),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(s.upload({ uid: 'a', kind: 'event', ics: ics('a') })).rejects.toBeInstanceOf(
      CaldavMalformedResponseError,
    );
  });

  it('counts a delete answered 412 for an object that is already gone as deleted', async () => {
    const { fetch, calls } = scripted([{ status: 412 }, { status: 404 }]);
    await expect(storage(fetch).delete('/cal/work/a.ics', '"1"')).resolves.toBeUndefined();
    expect(calls[0]?.headers['if-match']).toBe('"1"');
  });

  it('follows a sync-collection truncated with 507 and leaves out the collection itself', async () => {
    const truncated = ms(
      etagResponse('/cal/work/a.ics', '"a"') +
        '<d:response><d:href>/cal/work/</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>',
      '<d:sync-token>tok-2</d:sync-token>',
    );
    const rest = ms(
      etagResponse('/cal/work/', '"col"') +
        etagResponse('/cal/work/b.ics', '"b"') +
        '<d:response><d:href>/cal/work/c.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>',
      '<d:sync-token>tok-3</d:sync-token>',
    );
    const { fetch, calls } = scripted([
      { status: 207, body: truncated },
      { status: 207, body: rest },
    ]);
    const result = await storage(fetch).list(JSON.stringify({ v: 1, syncToken: 'tok-1' }));
    expect(result).toEqual({
      cursor: JSON.stringify({ v: 1, syncToken: 'tok-3' }),
      unchanged: false,
      full: false,
      items: [
        { href: '/cal/work/a.ics', etag: '"a"' },
        { href: '/cal/work/b.ics', etag: '"b"' },
      ],
      deleted: ['/cal/work/c.ics'],
    });
    expect(calls[1]?.body).toContain('<d:sync-token>tok-2</d:sync-token>');
  });

  it('reads everything again when the server rejects the token (403 valid-sync-token)', async () => {
    const { fetch } = scripted([
      { status: 403, body: '<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:valid-sync-token/></D:error>' },
      stateAnswer('tok-9'),
      { status: 207, body: ms(etagResponse('/cal/work/a.ics', '"a"')) },
    ]);
    const result = await storage(fetch).list(JSON.stringify({ v: 1, syncToken: 'old' }));
    expect(result).toMatchObject({ full: true, items: [{ href: '/cal/work/a.ics', etag: '"a"' }] });
    expect(JSON.parse(result.cursor)).toEqual({ v: 1, syncToken: 'tok-9' });
  });

  it('uses the ctag when the server has no sync-token', async () => {
    const noToken = ms(
      `<d:response><d:href>/cal/work/</d:href><d:propstat><d:prop><cs:getctag>c1</cs:getctag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
    );
    const { fetch, calls } = scripted([
      { status: 207, body: noToken },
      { status: 207, body: ms('') },
      { status: 207, body: noToken },
    ]);
    const first = await storage(fetch).list();
    expect(JSON.parse(first.cursor)).toEqual({ v: 1, ctag: 'c1' });
    expect(await storage(fetch).list(first.cursor)).toMatchObject({ unchanged: true, items: [] });
    expect(calls).toHaveLength(3);
  });

  it('maps server failures and network failures to retryable errors', async () => {
    const { fetch } = scripted([stateAnswer(), { status: 503 }]);
    const error = await storage(fetch)
      .list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaldavServerError);
    expect((error as CaldavServerError).scope).toBe('retryable');

    const down = scripted([new TypeError('fetch failed')]);
    await expect(storage(down.fetch).list()).rejects.toBeInstanceOf(CaldavUnreachableError);
  });

  it('refuses an answer larger than the bound, with or without Content-Length', async () => {
    const big = ms(etagResponse('/cal/work/a.ics', '"a"').repeat(50));
    const chunked: FetchLike = async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(big));
            controller.close();
          },
        }),
        { status: 207 },
      );
    const declared = scripted([{ status: 207, body: big }]);
    for (const fetch of [chunked, declared.fetch]) {
      const s = new CaldavStorage({
        url: cleanCollection,
        kind: 'event',
        auth: { kind: 'none' },
        timeoutMs: 5000,
        ...network,
        fetch,
        maxResponseBytes: 1000,
      });
      await expect(s.list()).rejects.toBeInstanceOf(CaldavResponseTooLargeError);
    }
  });

  it('gives up after the timeout', async () => {
    const hanging: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const s = new CaldavStorage({
      url: cleanCollection,
      kind: 'event',
      auth: { kind: 'none' },
      timeoutMs: 100,
      ...network,
      fetch: hanging,
    });
    const error = await s.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaldavUnreachableError);
    expect((error as Error).message).toContain('no answer within 100 ms');
  });

  it('refuses writes when read-only and items of the other kind', async () => {
    const { fetch, calls } = scripted([]);
    const readOnly = storage(fetch, { readOnly: true });
    await expect(readOnly.upload({ uid: 'a', kind: 'event', ics: ics('a') })).rejects.toBeInstanceOf(
      ReadOnlyStorageError,
    );
    await expect(
      readOnly.update('/cal/work/a.ics', { uid: 'a', kind: 'event', ics: ics('a') }, '"1"'),
    ).rejects.toBeInstanceOf(ReadOnlyStorageError);
    await expect(readOnly.delete('/cal/work/a.ics', '"1"')).rejects.toBeInstanceOf(ReadOnlyStorageError);
    await expect(storage(fetch).upload({ uid: 'a', kind: 'todo', ics: ics('a') })).rejects.toBeInstanceOf(
      CaldavWrongKindError,
    );
    expect(calls).toHaveLength(0);
  });
});
