// Builders for event-translation tests: a VCALENDAR around hand-written VEVENT lines.
import type { TranslateContext } from '../../../src/translate/context.js';
import { translateEvent } from '../../../src/translate/event.js';
import { defaultLimits } from '../../../src/translate/limits.js';

export const uid = 'test-uid@example.com';

export function ctx(overrides: Partial<TranslateContext> = {}): TranslateContext {
  return {
    userTimeZone: 'Asia/Seoul',
    horizon: { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') },
    suppressDefaultReminders: false,
    now: new Date('2024-01-01T00:00:00Z'),
    limits: defaultLimits,
    ...overrides,
  };
}

/** One VCALENDAR: each entry of `events` is the body lines of one VEVENT (UID added). */
export function calendar(events: string[][], extra: string[] = []): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...extra];
  for (const body of events) lines.push('BEGIN:VEVENT', `UID:${uid}`, ...body, 'END:VEVENT');
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

export function translate(events: string[][], c: Partial<TranslateContext> = {}, extra: string[] = []) {
  return translateEvent({ uid, kind: 'event', ics: calendar(events, extra) }, ctx(c));
}

/** The first unit's event (fails loudly when there is none). */
export function mainEvent(events: string[][], c: Partial<TranslateContext> = {}, extra: string[] = []) {
  const result = translate(events, c, extra);
  const unit = result.units[0];
  if (!unit) throw new Error(`no unit: ${JSON.stringify(result.warnings)}`);
  return { ...unit.event, result };
}

export function codes(result: { warnings: { code: string }[] }): string[] {
  return result.warnings.map((w) => w.code);
}
