import { describe, expect, it } from 'vitest';
import type { SourceItem } from '../../../src/sources/storage.js';
import { restoredIcs, withDetail, writeBackBrief } from '../../../src/sync/events/write-back.js';
import { restoredTodo, writeBackTask } from '../../../src/sync/tasks/task-write-back.js';
import { translateEvent } from '../../../src/translate/event.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { translateTodo } from '../../../src/translate/task.js';

// Write-backs into source objects: only the properties Talk Calendar changed are rewritten.

const now = new Date('2025-03-01T00:00:00Z');
const horizon = { from: now, to: new Date('2026-03-01T00:00:00Z') };
const event: SourceItem = {
  uid: 'e@x',
  kind: 'event',
  ics: [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//t//EN',
    'BEGIN:VEVENT',
    'UID:e@x',
    'DTSTAMP:20250101T000000Z',
    'DTSTART:20250310T010000Z',
    'DTEND:20250310T020000Z',
    'SUMMARY:Review',
    'DESCRIPTION:old text',
    'ATTENDEE;CN=Kim:mailto:kim@example.org',
    'X-FOO:bar',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n'),
};
const written = {
  title: 'Review',
  time: { start_at: '2025-03-10T01:00:00Z', end_at: '2025-03-10T02:00:00Z' },
  description: 'old text',
};
const brief = { id: 'k1', title: 'Review', time: written.time };

describe('write-back', () => {
  it('description and location from the detail call replace only those lines', () => {
    const ics = writeBackBrief(event, brief, written, now, { description: 'new text', location: 'Room 9' });
    expect(ics).toContain('DESCRIPTION:new text');
    expect(ics).toContain('LOCATION:Room 9');
    expect(ics).not.toContain('old text');
    expect(ics).toContain('ATTENDEE;CN=Kim:mailto:kim@example.org');
    expect(ics).toContain('X-FOO:bar');
    expect(ics).toContain('SUMMARY:Review');
  });

  it('writes Kakao text as written, escaped: it reads back unchanged (issue #13, class 1)', () => {
    const title = 'A.  B, c; d\\e\nf';
    const detail = { description: 'line 1\nline 2, more; end', location: 'Hall, 2F' };
    const ics = writeBackBrief(event, { ...brief, title }, written, now, detail);
    expect(ics).toContain('SUMMARY:A.  B\\, c\\; d\\\\e\\nf\r\n');
    const back = translateEvent(
      { uid: 'e@x', kind: 'event', ics },
      { userTimeZone: 'Asia/Seoul', horizon, suppressDefaultReminders: false, now, limits: defaultLimits },
    ).units[0]?.event;
    expect(back?.title).toBe(title);
    expect(back?.description).toBe(detail.description);
    expect(back?.location).toEqual({ name: 'Hall', address: '2F' });
  });

  it('an unchanged detail leaves the object byte for byte', () => {
    expect(writeBackBrief(event, brief, written, now, { description: 'old text', location: '' })).toBe(
      event.ics,
    );
  });

  it('withDetail records the accepted fields on the written event', () => {
    expect(withDetail(written, { description: '', location: 'Hall' })).toEqual({
      title: 'Review',
      time: written.time,
      location: { name: 'Hall' },
    });
  });

  it('a task completed in Talk Calendar becomes STATUS:COMPLETED with a COMPLETED time', () => {
    const todo: SourceItem = {
      uid: 't@x',
      kind: 'todo',
      ics: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VTODO\r\nUID:t@x\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:Milk\r\nSTATUS:NEEDS-ACTION\r\nX-KEEP:1\r\nEND:VTODO\r\nEND:VCALENDAR\r\n',
    };
    const done = writeBackTask(todo, { completed: true }, now);
    expect(done).toContain('STATUS:COMPLETED');
    expect(done).toContain('COMPLETED:20250301T000000Z');
    expect(done).toContain('X-KEEP:1');
    const reopened = writeBackTask({ ...todo, ics: done }, { completed: false }, now);
    expect(reopened).toContain('STATUS:NEEDS-ACTION');
    expect(reopened).not.toMatch(/^COMPLETED:/m);
  });

  const todoWith = (props: string[]): SourceItem => ({
    uid: 't@x',
    kind: 'todo',
    ics: ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'BEGIN:VTODO', 'UID:t@x']
      .concat('DTSTAMP:20250101T000000Z', props, 'X-KEEP:1', 'END:VTODO', 'END:VCALENDAR', '')
      .join('\r\n'),
  });

  it('a task title and due date edited in Talk Calendar become SUMMARY and DUE, STATUS untouched', () => {
    const todo = todoWith(['SUMMARY:Milk', 'DUE;VALUE=DATE:20250310', 'STATUS:NEEDS-ACTION']);
    const out = writeBackTask(todo, { edits: { content: 'Oat milk', due: '20250312' } }, now);
    expect(out).toContain('SUMMARY:Oat milk');
    expect(out).toContain('DUE;VALUE=DATE:20250312');
    expect(out).not.toContain('20250310');
    expect(out).toContain('STATUS:NEEDS-ACTION');
    expect(out).toContain('X-KEEP:1');
    // Only the title: DUE stays as written.
    expect(writeBackTask(todo, { edits: { content: 'Tea' } }, now)).toContain('DUE;VALUE=DATE:20250310');
  });

  it('a task title edited in Talk Calendar is written escaped: it reads back unchanged', () => {
    const todo = todoWith(['SUMMARY:Milk', 'DUE;VALUE=DATE:20250310']);
    const ctx = { userTimeZone: 'Asia/Seoul', now, limits: defaultLimits };
    for (const content of ['Milk, eggs; bread', 'C:\\temp\\notes', 'two\nlines']) {
      const out = writeBackTask(todo, { edits: { content } }, now);
      expect(translateTodo({ ...todo, ics: out }, ctx).task?.content).toBe(content);
    }
  });

  it('a DUE with a time keeps its time and zone; DTSTART + DURATION becomes a DUE; a removed due goes', () => {
    const zoned = todoWith(['SUMMARY:Call', 'DUE;TZID=Asia/Seoul:20250310T170000']);
    expect(writeBackTask(zoned, { edits: { due: '20250311' } }, now)).toContain(
      'DUE;TZID=Asia/Seoul:20250311T170000',
    );
    const utc = todoWith(['SUMMARY:Call', 'DUE:20250310T080000Z']);
    expect(writeBackTask(utc, { edits: { due: '20250311' } }, now)).toContain('DUE;VALUE=DATE:20250311');
    const spanned = todoWith(['SUMMARY:Call', 'DTSTART;VALUE=DATE:20250309', 'DURATION:P1D']);
    const moved = writeBackTask(spanned, { edits: { due: '20250320' } }, now);
    expect(moved).toContain('DUE;VALUE=DATE:20250320');
    expect(moved).not.toContain('DURATION');
    const undated = writeBackTask(zoned, { edits: { due: null } }, now);
    expect(undated).not.toContain('DUE');
    expect(undated).toContain('SUMMARY:Call');
  });

  it('a restored item is a VEVENT under its UID with the Kakao title and time', () => {
    const ics = restoredIcs('e@x', { ...brief, title: 'Review (kakao)' }, written, now);
    expect(ics).toContain('UID:e@x');
    expect(ics).toContain('SUMMARY:Review (kakao)');
    expect(ics).toContain('DESCRIPTION:old text');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });

  it('a restored to-do reads back as the task it was written from (title, due, alarm, recurrence, completion)', () => {
    const recurring = {
      content: 'Water plants, twice; weekly',
      due_info: {
        due_date: '20250312',
        time_zone: 'Asia/Seoul',
        alarm_time: '0930',
        recur: { rrule: 'FREQ=WEEKLY;BYDAY=WE', record_on: true },
      },
    };
    for (const [task, completed] of [
      [recurring, false],
      [{ content: 'Buy milk' }, true],
    ] as const) {
      const ics = restoredTodo('t@x', task, completed, now);
      expect(ics.match(/BEGIN:VTODO/g)).toHaveLength(1);
      const ctx = { userTimeZone: 'Asia/Seoul', now, limits: defaultLimits };
      const back = translateTodo({ uid: 't@x', kind: 'todo', ics }, ctx);
      expect(back.task).toEqual(task);
      expect(back).toMatchObject({ sourceKey: 't@x', completed, warnings: [] });
    }
  });
});
