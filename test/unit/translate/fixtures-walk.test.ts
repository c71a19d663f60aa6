// Every VEVENT and VTODO of the real-world fixtures translates without throwing, into requests the
// Kakao validator accepts, or into a typed 'invalid-item' warning when the component is unusable.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { validateEventCreate, validateEventUpdate, validateTaskCreate } from '../../../src/kakao/validate.js';
import { translateEvent } from '../../../src/translate/event.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { parseComponents, prop } from '../../../src/translate/parse.js';
import { translateTodo } from '../../../src/translate/task.js';
import { missing } from '../../support/prerequisite.js';

const dir = join(import.meta.dirname, '../../../../shared/fixtures/ics-real');

function icsFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? icsFiles(join(root, d.name)) : d.name.endsWith('.ics') ? [join(root, d.name)] : [],
  );
}

const files = existsSync(dir) ? icsFiles(dir) : [];
const todoFiles = files.filter((f) => /^BEGIN:VTODO\r?$/m.test(readFileSync(f, 'utf8')));

describe.skipIf(missing(existsSync(dir)))('real-world fixtures (needs ../shared/fixtures/ics-real)', () => {
  it('finds the fixtures, VTODOs among them', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(todoFiles.length).toBeGreaterThan(0);
  });

  it.each(todoFiles.map((f) => [relative(dir, f), f]))('%s (VTODO)', (_name, file) => {
    const ics = readFileSync(file, 'utf8');
    const now = new Date('2026-06-01T03:00:00Z');
    const todos = parseComponents(ics).todos;
    expect(todos.length).toBeGreaterThan(0);
    for (const todo of todos) {
      const uid = prop(todo, 'UID')?.value.trim() ?? '';
      const result = translateTodo(
        { uid, kind: 'todo', ics },
        {
          userTimeZone: 'Asia/Seoul',
          now,
          limits: defaultLimits,
        },
      );
      const zone = result.task.due_info?.time_zone ?? 'Asia/Seoul';
      const today = DateTime.fromJSDate(now, { zone }).toFormat('yyyyLLdd');
      expect(validateTaskCreate(result.task, today), uid).toEqual([]);
      if (result.task.content === '(untitled)')
        expect(result.warnings.some((w) => w.code === 'invalid-item')).toBe(true);
    }
  });

  it.each(files.map((f) => [relative(dir, f), f]))('%s', (_name, file) => {
    const ics = readFileSync(file, 'utf8');
    const uids = new Set(parseComponents(ics).events.map((e) => prop(e, 'UID')?.value.trim() ?? ''));
    for (const uid of uids) {
      const result = translateEvent(
        { uid, kind: 'event', ics },
        {
          userTimeZone: 'Asia/Seoul',
          horizon: { from: new Date('2011-01-01T00:00:00Z'), to: new Date('2012-07-01T00:00:00Z') },
          suppressDefaultReminders: false,
          now: new Date('2011-01-01T00:00:00Z'),
          limits: defaultLimits,
        },
      );
      if (result.units.length === 0) {
        const cancelled = /STATUS:CANCELLED/i.test(ics);
        const expanded = result.warnings.some(
          (w) => w.code === 'recurrence-expanded' || w.code === 'override-expanded',
        );
        expect(
          cancelled || expanded || result.warnings.some((w) => w.code === 'invalid-item'),
          `${uid}: ${JSON.stringify(result.warnings)}`,
        ).toBe(true);
      }
      for (const unit of result.units) {
        expect(validateEventCreate(unit.event), `${uid}/${unit.unitKey}`).toEqual([]);
        for (const op of unit.instances) {
          if (op.update)
            expect(validateEventUpdate(op.update, op.scope), `${uid}/${op.instanceStart}`).toEqual([]);
          expect(op.instanceStart).toMatch(/^\d{8}T\d{6}Z$/);
        }
        expect(result.exactTimes[unit.unitKey]).toBeDefined();
      }
    }
  });
});
