import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCollections } from '../../../src/sources/caldav/discovery.js';
import { CaldavCollectionNotFoundError } from '../../../src/sources/caldav/errors.js';
import { ItemExistsError, PreconditionFailedError, SourceLimitError } from '../../../src/sources/errors.js';
import {
  type CaldavTestServer,
  makeCalendar,
  startRadicale,
  startXandikos,
} from '../helpers/caldav-servers.js';
import { event, recordingFetch, storageFor, testAllowHosts, todo } from './caldav-fixtures.js';

// One contract, two real servers.
describe.each([
  ['Radicale', startRadicale],
  ['Xandikos', startXandikos],
] as const)('CaldavStorage against %s', (_name, start) => {
  let server: CaldavTestServer;

  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('discovers through /.well-known/caldav and describes each collection', async () => {
    const url = await makeCalendar(server, {
      displayName: 'Work 일정',
      color: '#FF2968FF',
      components: ['VEVENT'],
    });
    const tasksUrl = await makeCalendar(server, { displayName: 'Tasks', components: ['VTODO'] });
    const recorder = recordingFetch();
    const collections = await listCollections({
      url: server.baseUrl,
      auth: server.auth,
      timeoutMs: 10_000,
      allowHosts: testAllowHosts,
      fetch: recorder.fetch,
    });
    expect(recorder.exchanges[0]?.url).toBe(new URL('/.well-known/caldav', server.baseUrl).href);
    expect(recorder.exchanges.some((e) => e.requestBody.includes('current-user-principal'))).toBe(true);
    expect(recorder.exchanges.some((e) => e.requestBody.includes('calendar-home-set'))).toBe(true);
    const found = collections.find((c) => c.url === url);
    expect(found).toMatchObject({ displayName: 'Work 일정', color: '#FF2968FF' });
    expect(found?.components).toContain('VEVENT');
    expect(found?.syncToken).toMatch(/\S/);
    expect(found?.ctag).toMatch(/\S/);
    const tasks = collections.find((c) => c.url === tasksUrl);
    expect(tasks?.displayName).toBe('Tasks');
    expect(tasks?.components).toContain('VTODO');
    // Radicale keeps the component set it was given; Xandikos ignores it and reports every kind.
    if (server.name === 'radicale') expect(tasks?.components).toEqual(['VTODO']);
  });

  it('creates, lists, reads, updates and deletes events', async () => {
    const storage = storageFor(server, await makeCalendar(server), 'event');
    const uid = `ev-${randomUUID()}@test`;
    const created = await storage.upload(event(uid, 'First'));
    expect(created.href).toMatch(/\/[0-9a-f]{64}\.ics$/);
    expect(created.etag).toMatch(/\S/);

    const listed = await storage.list();
    expect(listed.full).toBe(true);
    expect(listed.items).toEqual([created]);

    const [read] = await storage.getMany([created.href]);
    expect(read?.item.uid).toBe(uid);
    expect(read?.item.kind).toBe('event');
    expect(read?.item.ics).toContain('SUMMARY:First');
    expect(read?.etag).toBe(created.etag);

    const updated = await storage.update(created.href, event(uid, 'Second'), created.etag);
    expect(updated.href).toBe(created.href);
    expect(updated.etag).not.toBe(created.etag);
    const [reread] = await storage.getMany([created.href]);
    expect(reread?.item.ics).toContain('SUMMARY:Second');
    expect(reread?.etag).toBe(updated.etag);

    await storage.delete(created.href, updated.etag);
    expect((await storage.list()).items).toEqual([]);
    await expect(storage.delete(created.href, updated.etag)).resolves.toBeUndefined();
  });

  it('keeps events and to-dos of one collection apart', async () => {
    const url = await makeCalendar(server);
    const events = storageFor(server, url, 'event');
    const todos = storageFor(server, url, 'todo');
    const e = await events.upload(event(`ev-${randomUUID()}`, 'Meeting'));
    const t = await todos.upload(todo(`td-${randomUUID()}`, 'Buy milk'));
    expect((await events.list()).items).toEqual([e]);
    expect((await todos.list()).items).toEqual([t]);
    const fetched = await todos.getMany([e.href, t.href]);
    expect(fetched.map((f) => f.href)).toEqual([t.href]);
    expect(fetched[0]?.item.kind).toBe('todo');
    expect(fetched[0]?.item.ics).toContain('SUMMARY:Buy milk');

    const updated = await todos.update(t.href, todo(fetched[0]!.item.uid, 'Buy oat milk'), t.etag);
    await todos.delete(t.href, updated.etag);
    expect((await todos.list()).items).toEqual([]);
  });

  it('reads an unchanged collection without transferring calendar data, then only the delta', async () => {
    const url = await makeCalendar(server);
    const writer = storageFor(server, url, 'event');
    const kept = await writer.upload(event(`keep-${randomUUID()}`, 'Kept'));
    const changed = await writer.upload(event(`change-${randomUUID()}`, 'Before'));
    const removed = await writer.upload(event(`remove-${randomUUID()}`, 'Removed'));

    const recorder = recordingFetch();
    const reader = storageFor(server, url, 'event', recorder.fetch);
    const first = await reader.list();
    expect(first.full).toBe(true);
    expect(first.items.map((i) => i.href).sort()).toEqual([kept.href, changed.href, removed.href].sort());

    recorder.exchanges.length = 0;
    const second = await reader.list(first.cursor);
    expect(second).toMatchObject({ unchanged: true, items: [], deleted: [] });
    expect(recorder.exchanges).toHaveLength(1);
    expect(recorder.exchanges[0]?.method).toBe('REPORT');
    expect(recorder.exchanges[0]?.responseBody).not.toContain('BEGIN:VCALENDAR');

    const changedUid = (await writer.getMany([changed.href]))[0]!.item.uid;
    const after = await writer.update(changed.href, event(changedUid, 'After'), changed.etag);
    await writer.delete(removed.href, removed.etag);

    const third = await reader.list(second.cursor);
    expect(third.unchanged).toBe(false);
    expect(third.full).toBe(false);
    expect(third.items).toEqual([after]);
    expect(third.deleted).toEqual([removed.href]);

    recorder.exchanges.length = 0;
    const fetched = await reader.getMany(third.items.map((i) => i.href));
    expect(fetched.map((f) => f.item.ics)).toEqual([expect.stringContaining('SUMMARY:After')]);
    expect(recorder.exchanges).toHaveLength(1);
    expect(recorder.exchanges[0]?.requestBody).toContain('calendar-multiget');
    expect(recorder.exchanges[0]?.requestBody).not.toContain(kept.href);

    expect(await reader.list(third.cursor)).toMatchObject({ unchanged: true });
  });

  it('stops at limits.maxItemsPerSource, in a full listing and in a delta', async () => {
    const url = await makeCalendar(server);
    const writer = storageFor(server, url, 'event');
    await writer.upload(event(`a-${randomUUID()}`, 'A'));
    await writer.upload(event(`b-${randomUUID()}`, 'B'));
    const first = await storageFor(server, url, 'event', undefined, 2).list();
    expect(first.items).toHaveLength(2);
    await writer.upload(event(`c-${randomUUID()}`, 'C'));
    const bounded = storageFor(server, url, 'event', undefined, 2);
    const full = await bounded.list().catch((e: unknown) => e);
    expect(full).toBeInstanceOf(SourceLimitError);
    expect((full as Error).message).toBe(
      'the CalDAV collection has 3 calendar objects; limits.maxItemsPerSource is 2: split the calendar or raise the limit',
    );
    await writer.upload(event(`d-${randomUUID()}`, 'D'));
    await writer.upload(event(`e-${randomUUID()}`, 'E'));
    await expect(bounded.list(first.cursor)).rejects.toThrow(SourceLimitError);
  });

  it('falls back to a full listing when the sync-token is no longer valid', async () => {
    const url = await makeCalendar(server);
    const storage = storageFor(server, url, 'event');
    const a = await storage.upload(event(`a-${randomUUID()}`, 'A'));
    const first = await storage.list();
    const bogus = JSON.stringify({ v: 1, syncToken: `${JSON.parse(first.cursor).syncToken}-expired` });
    const fallback = await storage.list(bogus);
    expect(fallback.full).toBe(true);
    expect(fallback.unchanged).toBe(false);
    expect(fallback.items).toEqual([a]);
    expect(await storage.list(fallback.cursor)).toMatchObject({ unchanged: true });
  });

  it('refuses an update or delete after a concurrent edit (412 → PreconditionFailedError)', async () => {
    const url = await makeCalendar(server);
    const ours = storageFor(server, url, 'event');
    const theirs = storageFor(server, url, 'event');
    const uid = `race-${randomUUID()}`;
    const created = await ours.upload(event(uid, 'Original'));
    const [seen] = await ours.getMany([created.href]);

    await theirs.update(created.href, event(uid, 'Their edit'), created.etag);
    await expect(ours.update(created.href, event(uid, 'Our edit'), seen!.etag)).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(ours.delete(created.href, seen!.etag)).rejects.toBeInstanceOf(PreconditionFailedError);
    const [now] = await ours.getMany([created.href]);
    expect(now?.item.ics).toContain('SUMMARY:Their edit');
  });

  it('refuses to create an item whose href is taken (ItemExistsError)', async () => {
    const storage = storageFor(server, await makeCalendar(server), 'event');
    const uid = `dup-${randomUUID()}`;
    await storage.upload(event(uid, 'One'));
    await expect(storage.upload(event(uid, 'Two'))).rejects.toBeInstanceOf(ItemExistsError);
    const [only] = (await storage.getMany((await storage.list()).items.map((i) => i.href))).map(
      (f) => f.item.ics,
    );
    expect(only).toContain('SUMMARY:One');
  });

  it('treats an object of the same UID under another name as existing', async () => {
    const url = await makeCalendar(server);
    const storage = storageFor(server, url, 'event');
    const uid = `foreign-${randomUUID()}`;
    const headers: Record<string, string> = { 'Content-Type': 'text/calendar; charset=utf-8' };
    if (server.auth.kind === 'basic') {
      headers['Authorization'] =
        `Basic ${Buffer.from(`${server.auth.username}:${server.auth.password}`).toString('base64')}`;
    }
    const put = await fetch(new URL('made-by-another-client.ics', url), {
      method: 'PUT',
      headers,
      body: event(uid, 'Theirs').ics,
    });
    expect(put.status).toBeLessThan(300);
    const outcome = await storage.upload(event(uid, 'Ours')).then(
      () => 'created',
      (e: unknown) => e,
    );
    // RFC 4791 no-uid-conflict: Radicale enforces it; a server that does not keeps two objects.
    if (outcome !== 'created') expect(outcome).toBeInstanceOf(ItemExistsError);
    if (server.name === 'radicale') expect(outcome).toBeInstanceOf(ItemExistsError);
  });

  it('reports a deleted collection and leaves vanished objects out of getMany', async () => {
    const url = await makeCalendar(server);
    const storage = storageFor(server, url, 'event');
    const kept = await storage.upload(event(`kept-${randomUUID()}`, 'Kept'));
    const gone = await storage.upload(event(`gone-${randomUUID()}`, 'Gone'));
    await storage.delete(gone.href, gone.etag);
    expect((await storage.getMany([kept.href, gone.href])).map((f) => f.href)).toEqual([kept.href]);

    const headers: Record<string, string> = {};
    if (server.auth.kind === 'basic') {
      headers['Authorization'] =
        `Basic ${Buffer.from(`${server.auth.username}:${server.auth.password}`).toString('base64')}`;
    }
    const removed = await fetch(url, { method: 'DELETE', headers });
    expect(removed.status).toBeLessThan(300);
    await expect(storage.list()).rejects.toBeInstanceOf(CaldavCollectionNotFoundError);
  });
});
