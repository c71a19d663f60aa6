// Properties of the reminder and colour mappings on generated inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kakaoColorNames, kakaoColors } from '../../../src/kakao/types.js';
import { validateReminders } from '../../../src/kakao/validate.js';
import { hexToKakaoColor, kakaoColorToHex } from '../../../src/translate/colour.js';
import { type AlarmSpec, alarmsToReminders, remindersToAlarms } from '../../../src/translate/reminders.js';

const start = Date.parse('2025-06-01T00:00:00Z');

const alarmSpec: fc.Arbitrary<AlarmSpec> = fc.oneof(
  fc.record({
    action: fc.constantFrom('DISPLAY', 'AUDIO', 'EMAIL'),
    trigger: fc.record({
      related: fc.constantFrom('START', 'END'),
      offsetSeconds: fc.integer({ min: -5_000_000, max: 5_000_000 }),
    }),
  }) as fc.Arbitrary<AlarmSpec>,
  fc.record({
    action: fc.constant('DISPLAY'),
    trigger: fc.record({ absoluteMs: fc.integer({ min: start - 5e9, max: start + 5e9 }) }),
  }) as fc.Arbitrary<AlarmSpec>,
);

describe('reminder mapping', () => {
  it('always yields at most two valid, distinct Kakao reminders', () => {
    fc.assert(
      fc.property(
        fc.array(alarmSpec, { maxLength: 6 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 20 }),
        (alarms, allDay, days) => {
          const end = start + (allDay ? (days + 1) * 86_400_000 : days * 900_000);
          const { reminders } = alarmsToReminders(alarms, { allDay, startMs: start, endMs: end });
          expect(validateReminders(reminders, allDay)).toEqual([]);
          expect(new Set(reminders).size).toBe(reminders.length);
          expect(reminders.length).toBe(Math.min(2, new Set(reminders).size));
        },
      ),
    );
  });

  it('round-trips every valid reminder pair through VALARMs', () => {
    const value = (allDay: boolean) => fc.integer({ min: allDay ? -286 : 0, max: 8640 }).map((k) => k * 5);
    fc.assert(
      fc.property(
        fc
          .boolean()
          .chain((allDay) => fc.tuple(fc.constant(allDay), fc.uniqueArray(value(allDay), { maxLength: 2 }))),
        ([allDay, reminders]) => {
          const back = alarmsToReminders(remindersToAlarms(reminders, allDay), {
            allDay,
            startMs: start,
            endMs: start + 86_400_000,
          });
          expect(back.reminders).toEqual([...reminders].sort((a, b) => a - b));
          expect(back.warnings).toEqual([]);
        },
      ),
    );
  });
});

describe('colour mapping', () => {
  it('maps any hex colour to a Kakao colour, exactly only for the documented codes', () => {
    const documented = new Set<string>(Object.values(kakaoColors));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.boolean(), (rgb, withAlpha) => {
        const hex = rgb.toString(16).padStart(6, '0').toUpperCase();
        const match = hexToKakaoColor(`#${hex}${withAlpha ? '80' : ''}`);
        expect(kakaoColorNames).toContain(match.color);
        expect(match.exact).toBe(documented.has(hex));
      }),
    );
  });

  it('maps each colour back to itself through its hex code', () => {
    for (const name of kakaoColorNames) expect(hexToKakaoColor(kakaoColorToHex(name)).color).toBe(name);
  });
});
