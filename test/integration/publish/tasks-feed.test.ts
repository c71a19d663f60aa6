import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icsText } from '../../support/ics-text.js';
import { type CaldavTestServer, makeCalendar, startRadicale } from '../helpers/caldav-servers.js';
import { type PublishRig, run, startPublishRig } from './harness.js';

// The tasks feed: VTODOs of a Radicale collection synced into Talk Calendar tasks by the daemon,
// published back as VTODOs that Python's icalendar reads.

const todo = (uid: string, summary: string, extra: string[] = []) =>
  icsText('VTODO', uid, [`SUMMARY:${summary}`, ...extra]);

describe('tasks feed', () => {
  let rig: PublishRig;
  let radicale: CaldavTestServer;
  let userId: string;

  beforeAll(async () => {
    rig = await startPublishRig();
    radicale = await startRadicale();
    const auth = radicale.auth;
    const basic =
      auth.kind === 'basic'
        ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
        : '';
    const collection = await makeCalendar(radicale, { components: ['VTODO'], auth: basic });
    const due = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    for (const [uid, body] of [
      ['milk', todo('milk@test', 'Buy milk', [`DUE;VALUE=DATE:${due}`])],
      ['taxes', todo('taxes@test', 'File taxes')],
    ] as const) {
      const put = await fetch(`${collection}${uid}.ics`, {
        method: 'PUT',
        headers: { 'content-type': 'text/calendar; charset=utf-8', authorization: basic },
        body,
      });
      expect(put.status).toBe(201);
    }
    userId = await rig.bareUser();
    await rig.daemon.ctx.registry.links.put(userId, {
      id: 'todos',
      source: {
        type: 'caldav',
        url: collection,
        component: 'todo',
        ...(auth.kind === 'basic' ? { username: auth.username, password: auth.password } : {}),
      },
      target: { kind: 'tasks' },
    });
    await rig.daemon.ctx.queue.triggerAndWait(userId, { force: true });
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
    await radicale?.stop();
  });

  it('publishes the tasks Talk Calendar holds as VTODOs Python reads', async () => {
    const kakao = rig.emulator.admin.tasks(userId) as { content: string }[];
    expect(kakao.map((t) => t.content).sort()).toEqual(['Buy milk', 'File taxes']);
    const made = await rig.api<{ token: string }>('POST', `/api/users/${userId}/feeds`, { kind: 'tasks' });
    const res = await fetch(rig.feedUrl(made.json.token));
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const body = await res.text();
    const script = `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
print(json.dumps(sorted([[str(t['SUMMARY']), t.get('DUE').dt.isoformat() if t.get('DUE') else None, str(t['STATUS'])] for t in cal.walk('VTODO')])))`;
    const child = run('/usr/bin/python3', ['-c', script]);
    child.child.stdin?.end(body);
    const parsed = JSON.parse((await child).stdout) as [string, string | null, string][];
    expect(parsed.map(([s, , status]) => [s, status])).toEqual([
      ['Buy milk', 'NEEDS-ACTION'],
      ['File taxes', 'NEEDS-ACTION'],
    ]);
    expect(parsed[0]![1]).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(body).not.toContain('BEGIN:VEVENT');
  });
});
