import { describe, expect, it } from 'vitest';
import type { LinkInput } from '../../../src/model/link.js';
import { icsStamp as stamp } from '../../support/ics-text.js';
import { clearLog, future, iso } from '../kakao/harness.js';
import { caldavServers } from './caldav-harness.js';
import { settings, useSyncEnv } from './harness.js';
import {
  caldavLink,
  eventItem,
  hoursFromNow as hours,
  todoItem,
  useCaldavServer,
  calendarWrites as writesAtEmulator,
} from './two-way-harness.js';

// Two-way links against the emulator and a real Radicale and Xandikos: create, update and delete
// both ways for events and to-dos; what Kakao cannot represent is kept in the CalDAV object.

const env = useSyncEnv();

const calendarWrites = () => writesAtEmulator(env);

describe.each(caldavServers)('two-way ⇄ emulator + $name', ({ start }) => {
  const dav = useCaldavServer(start);

  const setUp = (component: 'event' | 'todo', link: Partial<LinkInput> = {}) =>
    caldavLink(env, dav.server, {
      component,
      link,
      deps: { settings: { ...settings, detailBudgetPerRun: 2 } },
    });

  it('an event created, then edited in CalDAV is created, then updated in Talk Calendar', async () => {
    const { put, objects, userId, run } = await setUp('event');
    const start = future(3);
    const ref = await put(eventItem('c1@test', start, 'Lunch'));
    await run();
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Lunch']);

    const later = new Date(start.getTime() + 2 * 3600_000);
    await ref.edit(eventItem('c1@test', later, 'Long lunch'));
    await run(hours(1));
    const events = env.emu.admin.events(userId);
    expect(events.map((e) => e.title)).toEqual(['Long lunch']);
    expect(events[0]!.time.start_at).toBe(iso(later));

    // Settled: nothing more is written either way.
    await clearLog(env.emu);
    const before = await objects();
    await run(hours(3));
    expect(await calendarWrites()).toEqual([]);
    expect((await objects()).map((o) => o.etag)).toEqual(before.map((o) => o.etag));
  });

  it('title and time edited in Talk Calendar are written back, other properties kept', async () => {
    const { put, objects, port, userId, run } = await setUp('event');
    const start = future(2);
    await put(
      eventItem('k1@test', start, 'Design review', [
        'DESCRIPTION:Agenda v1',
        'ATTENDEE;CN=Kim;PARTSTAT=ACCEPTED:mailto:kim@example.org',
        'X-CUSTOM-FLAG:keep me',
      ]),
    );
    await run();
    const [made] = env.emu.admin.events(userId);
    const moved = new Date(start.getTime() + 3600_000);
    const movedEnd = new Date(moved.getTime() + 3600_000);
    await port.updateEvent(made!.id, {
      title: 'Design review (moved)',
      time: { start_at: iso(moved), end_at: iso(movedEnd), time_zone: 'Asia/Seoul' },
    });

    await run(hours(2));
    const [obj] = await objects();
    expect(obj!.ics).toContain('SUMMARY:Design review (moved)');
    expect(obj!.ics).toMatch(
      new RegExp(`DTSTART[^:\\r\\n]*:(${stamp(moved)}|${stampIn(moved, 'Asia/Seoul')})`),
    );
    expect(obj!.ics).toContain('DESCRIPTION:Agenda v1');
    expect(obj!.ics).toContain('ATTENDEE;CN=Kim;PARTSTAT=ACCEPTED:mailto:kim@example.org');
    expect(obj!.ics).toContain('X-CUSTOM-FLAG:keep me');
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Design review (moved)']);

    await clearLog(env.emu);
    await run(hours(4));
    await run(hours(6));
    expect(await calendarWrites()).toEqual([]);
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Design review (moved)']);
  });

  it('a description edited in Talk Calendar reaches the CalDAV object, attendees and X- props kept', async () => {
    const { put, objects, port, userId, run } = await setUp('event');
    await put(
      eventItem('rev@test', future(2), 'Design review', [
        'DESCRIPTION:Agenda v1',
        'LOCATION:Room 4',
        'ORGANIZER:mailto:boss@example.org',
        'ATTENDEE;CN=Kim;PARTSTAT=ACCEPTED:mailto:kim@example.org',
        'X-CUSTOM-FLAG:keep me',
      ]),
    );
    await run();
    const [made] = env.emu.admin.events(userId);
    expect(made!.description).toBe('Agenda v1');
    await port.updateEvent(made!.id, { description: 'Agenda v2 (phone)', location: { name: 'Room 9' } });

    await run(hours(2));
    const [obj] = await objects();
    expect(obj!.ics).toContain('DESCRIPTION:Agenda v2 (phone)');
    expect(obj!.ics).toContain('LOCATION:Room 9');
    expect(obj!.ics).toContain('ATTENDEE;CN=Kim;PARTSTAT=ACCEPTED:mailto:kim@example.org');
    expect(obj!.ics).toContain('X-CUSTOM-FLAG:keep me');
    expect(obj!.ics).toContain('SUMMARY:Design review');
    expect(env.emu.admin.events(userId)[0]!.description).toBe('Agenda v2 (phone)');

    // The write-back settles: later runs write nothing to Kakao and keep the Talk Calendar text.
    await clearLog(env.emu);
    await run(hours(4));
    await run(hours(6));
    expect(await calendarWrites()).toEqual([]);
    expect(env.emu.admin.events(userId)[0]!.description).toBe('Agenda v2 (phone)');
  });

  it('an event deleted in CalDAV is deleted in Talk Calendar', async () => {
    const { put, userId, run } = await setUp('event');
    const ref = await put(eventItem('d1@test', future(4), 'Gone soon'));
    await put(eventItem('d2@test', future(5), 'Stays'));
    await run();
    expect(env.emu.admin.events(userId)).toHaveLength(2);
    await ref.remove();
    await run(hours(1));
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Stays']);
  });

  it('an event deleted in Talk Calendar is deleted in CalDAV when propagateDeletes.toSource', async () => {
    const { put, summaries, port, userId, run } = await setUp('event', {
      propagateDeletes: { toKakao: true, toSource: true },
    });
    await put(eventItem('kd1@test', future(2), 'Cancelled'));
    await put(eventItem('kd2@test', future(6), 'Kept'));
    await run();
    const victim = env.emu.admin.events(userId).find((e) => e.title === 'Cancelled');
    await port.deleteEvent(victim!.id);
    await run(hours(2));
    expect(await summaries()).toEqual(['Kept']);
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Kept']);
    await run(hours(4));
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Kept']);
  });

  it('an event deleted in Talk Calendar stays in CalDAV by default (toSource: false)', async () => {
    const { put, objects, port, userId, run } = await setUp('event');
    await put(eventItem('kk1@test', future(2), 'Precious'));
    await run();
    const [made] = env.emu.admin.events(userId);
    await port.deleteEvent(made!.id);
    await run(hours(2));
    const left = await objects();
    expect(left).toHaveLength(1);
    expect(left[0]!.ics).toContain('SUMMARY:Precious');
  });

  it('to-dos: created in CalDAV → task; completed in Talk Calendar → COMPLETED, other props kept', async () => {
    const { put, objects, port, userId, run } = await setUp('todo');
    await put(todoItem('t1@test', 'File taxes', ['X-KEEP:yes']));
    await run();
    const [task] = env.emu.admin.tasks(userId);
    expect(task!.content).toBe('File taxes');
    expect(task!.completed).toBe(false);
    await port.completeTask(task!.task_id, true);
    await run(hours(2));
    const [obj] = await objects();
    expect(obj!.ics).toContain('STATUS:COMPLETED');
    expect(obj!.ics).toContain('X-KEEP:yes');
    expect(obj!.ics).toContain('SUMMARY:File taxes');
    await clearLog(env.emu);
    await run(hours(4));
    expect(await calendarWrites()).toEqual([]);
    expect(env.emu.admin.tasks(userId).map((x) => x.completed)).toEqual([true]);
  });

  it('to-dos: title and due date edited in Talk Calendar → SUMMARY and DUE, other props kept', async () => {
    const { put, objects, port, userId, run } = await setUp('todo');
    await put(todoItem('te@test', 'Pay rent', ['X-KEEP:yes']));
    await run();
    const [task] = env.emu.admin.tasks(userId);
    const moved = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    await port.updateTask(task!.task_id, { content: 'Pay rent (landlord)', due_info: { due_date: moved } });
    await run(hours(2));
    const [obj] = await objects();
    expect(obj!.ics).toContain('SUMMARY:Pay rent (landlord)');
    expect(obj!.ics).toContain(`DUE;VALUE=DATE:${moved}`);
    expect(obj!.ics).toContain('X-KEEP:yes');
    expect(obj!.ics).not.toContain('STATUS:COMPLETED');
    // Settled: the written-back VTODO is what the task shows; nothing more is written either way.
    await clearLog(env.emu);
    const before = await objects();
    await run(hours(4));
    expect(await calendarWrites()).toEqual([]);
    expect((await objects()).map((o) => o.etag)).toEqual(before.map((o) => o.etag));
    expect(env.emu.admin.tasks(userId).map((x) => [x.content, x.due_info?.due_date])).toEqual([
      ['Pay rent (landlord)', moved],
    ]);
  });

  it('to-dos of a one-way link: a title edited in Talk Calendar is written over with the source’s', async () => {
    const { put, objects, port, userId, run } = await setUp('todo', { direction: 'to-kakao' });
    await put(todoItem('to@test', 'Water plants'));
    await run();
    const [task] = env.emu.admin.tasks(userId);
    await port.updateTask(task!.task_id, {
      content: 'Water cactus',
      ...(task!.due_info ? { due_info: task!.due_info } : {}),
    });
    const source = await objects();
    await clearLog(env.emu);
    await run(hours(2));
    expect((await calendarWrites()).map((q) => q.path)).toEqual(['/v1/api/calendar/update/task']);
    expect(env.emu.admin.tasks(userId).map((x) => x.content)).toEqual(['Water plants']);
    expect((await objects()).map((o) => o.etag)).toEqual(source.map((o) => o.etag));
  });

  it('to-dos: deleted in CalDAV → task deleted; deleted in Talk Calendar → VTODO deleted (toSource)', async () => {
    const { put, summaries, port, userId, run } = await setUp('todo', {
      propagateDeletes: { toKakao: true, toSource: true },
    });
    const ref = await put(todoItem('td1@test', 'Old chore'));
    await put(todoItem('td2@test', 'Phone chore'));
    await put(todoItem('td3@test', 'Stays'));
    await run();
    expect(env.emu.admin.tasks(userId)).toHaveLength(3);
    await ref.remove();
    await run(hours(1));
    expect(
      env.emu.admin
        .tasks(userId)
        .map((x) => x.content)
        .sort(),
    ).toEqual(['Phone chore', 'Stays']);

    const phone = env.emu.admin.tasks(userId).find((x) => x.content === 'Phone chore');
    await port.deleteTask(phone!.task_id);
    await run(hours(3));
    expect(await summaries()).toEqual(['Stays']);
    expect(env.emu.admin.tasks(userId).map((x) => x.content)).toEqual(['Stays']);
  });
});

/** The local wall-clock stamp of `d` in `zone` (DTSTART;TZID=… form). */
function stampIn(d: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}${get('month')}${get('day')}T${get('hour')}${get('minute')}${get('second')}`;
}
