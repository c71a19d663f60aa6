import { describe, expect, it } from 'vitest';
import { formatHuman, formatJsonLines } from '../../../src/cli/inspect/format.js';
import { inspectCalendar } from '../../../src/cli/inspect/report.js';

const calendar = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VEVENT',
  'UID:weekly@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Asia/Seoul:20260504T090000',
  'DTEND;TZID=Asia/Seoul:20260504T093000',
  'RRULE:FREQ=WEEKLY;COUNT=4',
  'EXDATE;TZID=Asia/Seoul:20260511T090000',
  'SUMMARY:Weekly sync',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:weekly@test',
  'DTSTAMP:20260101T000000Z',
  'RECURRENCE-ID;TZID=Asia/Seoul:20260518T090000',
  'DTSTART;TZID=Asia/Seoul:20260518T100000',
  'DTEND;TZID=Asia/Seoul:20260518T103000',
  'SUMMARY:Weekly sync (moved)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:odd@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260601T010300Z',
  'DTEND:20260601T020000Z',
  'SUMMARY:Odd start',
  'END:VEVENT',
  'BEGIN:VTODO',
  'UID:todo@test',
  'DTSTAMP:20260101T000000Z',
  'DUE;VALUE=DATE:20260610',
  'SUMMARY:File taxes',
  'PRIORITY:1',
  'END:VTODO',
  'END:VCALENDAR',
  '',
].join('\r\n');

const opts = {
  from: new Date('2026-05-01T00:00:00Z'),
  to: new Date('2026-07-01T00:00:00Z'),
  zone: 'Asia/Seoul',
  now: new Date('2026-05-01T00:00:00Z'),
  occurrences: true,
};

describe('inspectCalendar', () => {
  const report = inspectCalendar(calendar, opts);
  const byUid = (uid: string) => report.items.find((i) => i.uid === uid)!;

  it('reports every UID once with its kind', () => {
    expect(report.items.map((i) => [i.uid, i.kind])).toEqual([
      ['weekly@test', 'event'],
      ['odd@test', 'event'],
      ['todo@test', 'todo'],
    ]);
    expect(report.problems).toEqual([]);
  });

  it('shows the recurring request with its instance operations and occurrences', () => {
    const weekly = byUid('weekly@test');
    const req = weekly.requests[0];
    expect(req?.kind).toBe('event');
    if (req?.kind !== 'event') return;
    expect(req.event.rrule).toContain('FREQ=WEEKLY');
    expect(req.instances.map((i) => [i.instanceStart, i.action])).toEqual([
      ['20260511T000000Z', 'delete'],
      ['20260518T000000Z', 'update'],
    ]);
    expect(weekly.occurrences).toEqual([
      { start: '2026-05-04T00:00:00Z', end: '2026-05-04T00:30:00Z', allDay: false, title: 'Weekly sync' },
      {
        start: '2026-05-18T01:00:00Z',
        end: '2026-05-18T01:30:00Z',
        allDay: false,
        title: 'Weekly sync (moved)',
      },
      { start: '2026-05-25T00:00:00Z', end: '2026-05-25T00:30:00Z', allDay: false, title: 'Weekly sync' },
    ]);
  });

  it('reports the rounding warning of an off-grid start', () => {
    const odd = byUid('odd@test');
    expect(odd.warnings.map((w) => w.code)).toContain('rounded-to-grid');
  });

  it('shows a task request', () => {
    const todo = byUid('todo@test');
    expect(todo.requests).toEqual([
      {
        kind: 'task',
        task: { content: 'File taxes', due_info: { due_date: '20260610', time_zone: 'Asia/Seoul' } },
        completed: false,
        bookmark: true,
      },
    ]);
  });

  it('prints a readable tree and JSON lines', () => {
    const human = formatHuman(report);
    expect(human).toContain('● weekly@test (event)');
    expect(human).toContain('delete instance 20260511T000000Z (THIS)');
    expect(human).toContain('→ create task: "File taxes"  due 20260610 (Asia/Seoul)  bookmarked');
    expect(human).toContain('! rounded-to-grid');
    expect(human.trim().split('\n').at(-1)).toBe(
      '3 items → 3 Kakao requests; 1 with warnings, 0 not translated',
    );
    const json = formatJsonLines(report)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(json).toHaveLength(4);
    expect(json[0].uid).toBe('weekly@test');
    expect(json[3]).toEqual({ summary: true, items: 3, problems: [], truncated: false });
  });

  it('leaves occurrences out unless asked', () => {
    const plain = inspectCalendar(calendar, { ...opts, occurrences: false });
    expect(plain.items.every((i) => i.occurrences === undefined)).toBe(true);
  });
});
