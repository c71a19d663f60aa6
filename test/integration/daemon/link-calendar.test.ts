import { describe, expect, it } from 'vitest';
import { usePublishRig } from '../publish/harness.js';
import { cliEnv, runTalkcal } from './helpers.js';

// A link's sub-calendar follows the link: renaming the link renames the calendar in Talk Calendar
// (calendars.update), removing it deletes the calendar only when asked and only when the daemon made
// it, else leaves it and says so. Talk Calendar's side is read at the emulator over HTTP.

const feed = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//talkcal//test//EN',
  'BEGIN:VEVENT',
  'UID:ev-1@test',
  'DTSTAMP:20260101T000000Z',
  `DTSTART:${new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')}T010000Z`,
  'DURATION:PT1H',
  'SUMMARY:Standup',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

interface EmulatorCalendar {
  id: string;
  name: string;
}
interface Logged {
  endpoint: string;
  userId?: string;
}

describe('sub-calendars follow their link (admin API, CLI, emulator over HTTP)', () => {
  const env = usePublishRig();

  const emulatorGet = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${env.rig.emulator.url}/_emulator${path}`);
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const calendars = (userId: string) => emulatorGet<EmulatorCalendar[]>(`/users/${userId}/calendars`);
  const calendarCalls = async (userId: string) =>
    (await emulatorGet<Logged[]>('/requests'))
      .filter((r) => r.userId === userId && r.endpoint.startsWith('calendars.'))
      .map((r) => r.endpoint);

  /** A user whose link `linkId` filled a new sub-calendar `name` (one sync). */
  async function syncedSubCalendar(name: string, linkId = 'team') {
    const userId = await env.rig.bareUser();
    const url = await env.rig.serve(feed);
    await env.rig.daemon.ctx.registry.links.put(userId, {
      id: linkId,
      source: { type: 'ics', url },
      target: { kind: 'sub-calendar', name },
    });
    // The first sync bareUser queued may already run without the link (a trigger then waits for
    // that run): sync again until the link's run made the calendar.
    let made: EmulatorCalendar | undefined;
    for (let run = 0; run < 3 && !made; run++) {
      await env.rig.daemon.ctx.queue.triggerAndWait(userId, { force: true });
      made = (await calendars(userId)).find((c) => c.name === name);
    }
    expect(made).toBeDefined();
    return { userId, calendarId: made!.id };
  }

  it('renaming a link renames its sub-calendar in Talk Calendar; the next sync makes no second one', async () => {
    const { userId, calendarId } = await syncedSubCalendar('Team');
    const renamed = await env.rig.api<{
      link: { name: string; target: { name: string } };
      calendarRenamed: boolean;
    }>('PATCH', `/api/users/${userId}/links/team`, { name: 'Team rota' });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({
      link: { name: 'Team rota', target: { name: 'Team rota' } },
      calendarRenamed: true,
    });
    expect((await calendars(userId)).find((c) => c.id === calendarId)?.name).toBe('Team rota');
    await env.rig.daemon.ctx.queue.triggerAndWait(userId, { force: true });
    const own = (await calendars(userId)).filter((c) => c.id !== 'primary');
    expect(own.map((c) => c.name)).toEqual(['Team rota']);
    expect(await calendarCalls(userId)).toEqual(['calendars.list', 'calendars.create', 'calendars.update']);
  });

  it('replacing a link with a new sub-calendar name (PUT) renames the same calendar', async () => {
    const { userId, calendarId } = await syncedSubCalendar('Before');
    const link = await env.rig.api<{ source: { url: string } }>('GET', `/api/users/${userId}/links/team`);
    const url = (await env.rig.daemon.ctx.registry.links.get(userId, 'team')).source.url;
    expect(link.status).toBe(200);
    const put = await env.rig.api<{ target: { calendarId: string; name: string } }>(
      'PUT',
      `/api/users/${userId}/links/team`,
      { source: { type: 'ics', url }, target: { kind: 'sub-calendar', name: 'After' } },
    );
    expect(put.status).toBe(200);
    expect(put.json.target).toMatchObject({ calendarId, name: 'After' });
    await env.rig.daemon.ctx.queue.triggerAndWait(userId, { force: true });
    const own = (await calendars(userId)).filter((c) => c.id !== 'primary');
    expect(own.map((c) => [c.id, c.name])).toEqual([[calendarId, 'After']]);
  });

  it('refuses a bad name at once, without a call to Kakao', async () => {
    const { userId } = await syncedSubCalendar('Bad names');
    const before = (await calendarCalls(userId)).length;
    for (const body of [
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(51) },
      { name: 3 },
      { title: 'x' },
    ]) {
      const answer = await env.rig.api<{ error: string }>('PATCH', `/api/users/${userId}/links/team`, body);
      expect(answer.status).toBe(400);
    }
    const tooLong = await env.rig.api<{ error: string }>('PATCH', `/api/users/${userId}/links/team`, {
      name: 'x'.repeat(51),
    });
    expect(tooLong.json.error).toMatch(/^link team: a new name must be 1 to 50 characters/);
    expect((await env.rig.api('DELETE', `/api/users/${userId}/links/team?deleteCalendar=yes`)).status).toBe(
      400,
    );
    expect((await env.rig.api('PATCH', `/api/users/${userId}/links/nope`, { name: 'x' })).status).toBe(404);
    expect((await calendarCalls(userId)).length).toBe(before);
    expect((await calendars(userId)).some((c) => c.name === 'Bad names')).toBe(true);
  });

  it('removing without the flag leaves the calendar and says so; the flag then still deletes it', async () => {
    const { userId, calendarId } = await syncedSubCalendar('Kept');
    const removed = await env.rig.api<{ message: string; calendar: { deleted: boolean } }>(
      'DELETE',
      `/api/users/${userId}/links/team`,
    );
    expect(removed.status).toBe(200);
    expect(removed.json.calendar).toMatchObject({ id: calendarId, deleted: false });
    expect(removed.json.message).toBe(
      `link team removed; calendar "Kept" (${calendarId}) was left in Talk Calendar; ` +
        `delete it with \`talkcal links rm ${userId} team --delete-calendar\``,
    );
    expect((await calendars(userId)).some((c) => c.id === calendarId)).toBe(true);
    expect((await env.rig.api('GET', `/api/users/${userId}/links/team`)).status).toBe(404);

    const deleted = await env.rig.api<{ message: string }>(
      'DELETE',
      `/api/users/${userId}/links/team?deleteCalendar=true`,
    );
    expect(deleted.status).toBe(200);
    expect(deleted.json.message).toMatch(/calendar "Kept" .* deleted from Talk Calendar/);
    expect((await calendars(userId)).some((c) => c.id === calendarId)).toBe(false);
    expect((await env.rig.api('DELETE', `/api/users/${userId}/links/team?deleteCalendar=true`)).status).toBe(
      404,
    );
  });

  it('removing with the flag deletes the calendar the daemon created, with its events', async () => {
    const { userId, calendarId } = await syncedSubCalendar('Gone');
    expect(
      env.rig.emulator.admin
        .events(userId)
        .some((e: { calendar_id?: string }) => e.calendar_id === calendarId),
    ).toBe(true);
    const answer = await env.rig.api<{ calendar: { deleted: boolean } }>(
      'DELETE',
      `/api/users/${userId}/links/team?deleteCalendar=true`,
    );
    expect(answer.status).toBe(200);
    expect(answer.json.calendar).toMatchObject({ id: calendarId, deleted: true });
    expect((await calendars(userId)).some((c) => c.id === calendarId)).toBe(false);
    expect(env.rig.emulator.admin.events(userId)).toEqual([]);
    expect((await calendarCalls(userId)).at(-1)).toBe('calendars.delete');
  });

  it('never deletes a calendar the user made, whatever the input claims', async () => {
    const userId = await env.rig.bareUser();
    const { calendar_id: theirs } = env.rig.emulator.admin.seedCalendar(userId, { name: 'Family' });
    const url = await env.rig.serve(feed);
    await env.rig.daemon.ctx.registry.links.put(userId, {
      id: 'family',
      source: { type: 'ics', url },
      target: { kind: 'sub-calendar', name: 'Family', calendarId: theirs, createdByDaemon: true },
    });
    const refused = await env.rig.api<{ error: string }>(
      'DELETE',
      `/api/users/${userId}/links/family?deleteCalendar=true`,
    );
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatch(/is not deleted because talkcal-sync did not create it/);
    expect((await env.rig.api('GET', `/api/users/${userId}/links/family`)).status).toBe(200);
    expect(await calendarCalls(userId)).toEqual([]);
    const left = await env.rig.api<{ message: string }>('DELETE', `/api/users/${userId}/links/family`);
    expect(left.json.message).toMatch(/was left in Talk Calendar \(talkcal-sync did not create it\)$/);
    expect((await calendars(userId)).some((c) => c.id === theirs)).toBe(true);
  });

  it('the CLI (as a process) renames and removes with --delete-calendar', async () => {
    const { userId, calendarId } = await syncedSubCalendar('Cli');
    const cli = cliEnv(env.rig.daemon.ctx.config, {
      TALKCAL_KAKAO__API_BASE_URL: env.rig.emulator.url,
      TALKCAL_KAKAO__AUTH_BASE_URL: env.rig.emulator.url,
      TALKCAL_KAKAO__REST_API_KEY: 'emulator-rest-api-key',
    });
    const renamed = await runTalkcal(cli, ['links', 'rename', userId, 'team', 'Cli renamed']);
    expect(renamed.stdout).toMatch(
      /link team renamed to "Cli renamed", and its sub-calendar in Talk Calendar/,
    );
    expect((await calendars(userId)).find((c) => c.id === calendarId)?.name).toBe('Cli renamed');
    await expect(runTalkcal(cli, ['links', 'rename', userId, 'team', ''])).rejects.toMatchObject({
      stderr: expect.stringMatching(/a new name must be 1 to 50 characters/),
    });
    const removed = await runTalkcal(cli, ['links', 'rm', userId, 'team', '--delete-calendar']);
    expect(removed.stdout).toMatch(/link team removed; calendar "Cli renamed" .* deleted from Talk Calendar/);
    expect((await calendars(userId)).some((c) => c.id === calendarId)).toBe(false);
  }, 30_000);
});
