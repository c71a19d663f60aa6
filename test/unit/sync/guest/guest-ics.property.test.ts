// A guest event rendered for CalDAV and read back gives the guest fields it was rendered from
// (reminders, colour, memo), and a host hash that does not move with them: a change to a guest
// field alone is never taken for a change to the host's event.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../../src/kakao/types.js';
import { kakaoColorNames } from '../../../../src/kakao/types.js';
import { guestIdOf, renderGuestItem, versionOf } from '../../../../src/sync/guest/guest-ics.js';
import { defaultLimits } from '../../../../src/translate/limits.js';
import { translateSourceItem } from '../../../../src/translate/source-item.js';

const now = new Date('2026-12-07T00:00:00Z');
const horizon = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2028-01-01T00:00:00Z') };
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');

const detail = fc
  .record({
    slot: fc.integer({ min: 0, max: 100_000 }),
    length: fc.integer({ min: 1, max: 48 }),
    title: fc.stringMatching(/^[A-Za-z가-힣][A-Za-z0-9가-힣 ,;]{0,20}$/),
    reminders: fc.uniqueArray(
      fc.integer({ min: 0, max: 8640 }).map((n) => n * 5),
      { maxLength: 2 },
    ),
    color: fc.option(fc.constantFrom(...kakaoColorNames), { nil: undefined }),
    memo: fc.option(
      fc.string({ minLength: 1, maxLength: 40 }).filter((m) => m.trim() === m && m !== ''),
      {
        nil: undefined,
      },
    ),
  })
  .map(({ slot, length, title, reminders, color, memo }): EventDetail => {
    const start = Date.UTC(2027, 0, 1) + slot * 300_000;
    return {
      id: `ev${slot}`,
      title,
      type: 'PUBLIC',
      calendar_id: 'primary',
      is_host: false,
      time: { start_at: iso(start), end_at: iso(start + length * 300_000), time_zone: 'Asia/Seoul' },
      reminders,
      ...(color ? { color } : {}),
      ...(memo ? { memo } : {}),
    };
  });

const readBack = (d: EventDetail) => {
  const item = renderGuestItem(d, 'PUBLIC', { now, zone: 'Asia/Seoul', horizon });
  const desired = translateSourceItem(item, {
    userTimeZone: 'Asia/Seoul',
    now,
    horizon,
    suppressDefaultReminders: false,
    limits: defaultLimits,
  });
  return { item, version: versionOf(desired, item.ics) };
};

describe('guest item round trip', () => {
  it('reads back the guest fields it was rendered from', () => {
    fc.assert(
      fc.property(detail, (d) => {
        const { item, version } = readBack(d);
        expect(guestIdOf(item.uid)).toBe(d.id);
        expect(version.guest).toEqual({
          reminders: [...(d.reminders ?? [])].sort((a, b) => a - b),
          color: d.color ?? '',
          memo: d.memo ?? '',
        });
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the host hash when only guest fields differ, and moves it with the title', () => {
    fc.assert(
      fc.property(detail, detail, (a, b) => {
        const guestOnly = { ...a, reminders: b.reminders ?? [] } as EventDetail;
        if (b.color) guestOnly.color = b.color;
        else delete guestOnly.color;
        if (b.memo) guestOnly.memo = b.memo;
        else delete guestOnly.memo;
        expect(readBack(guestOnly).version.host).toBe(readBack(a).version.host);
        expect(readBack({ ...a, title: `${a.title}!` }).version.host).not.toBe(readBack(a).version.host);
      }),
      { numRuns: 40 },
    );
  });
});
