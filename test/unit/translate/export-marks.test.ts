import { describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../src/kakao/types.js';
import { translateEvent } from '../../../src/translate/event.js';
import { exportedKakaoId, isExportedLunarOccurrence } from '../../../src/translate/export-marks.js';
import { kakaoEventToVevents } from '../../../src/translate/kakao-to-ical.js';
import { renderVevents } from '../../../src/translate/render-vevents.js';
import { ctx } from './event-helpers.js';

const lunar: EventDetail = {
  id: 'ev3',
  title: 'Seollal',
  type: 'USER',
  calendar_id: 'p',
  is_host: true,
  time: { start_at: '2025-01-29T00:00:00Z', end_at: '2025-01-30T00:00:00Z', all_day: true, lunar: true },
  rrule: 'FREQ=YEARLY',
};
const opts = {
  horizon: { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-12-31T00:00:00Z') },
  zone: 'Asia/Seoul',
  otherApps: 'busy' as const,
};
const now = new Date('2026-01-01T00:00:00Z');

describe('export marks', () => {
  it('recognises an exported lunar occurrence written to CalDAV', () => {
    const [spec] = kakaoEventToVevents(lunar, opts);
    const item = { uid: spec!.uid, kind: 'event' as const, ics: renderVevents([spec!], { now }) };
    expect(isExportedLunarOccurrence(item)).toBe(true);
    expect(exportedKakaoId(item)).toBe('ev3');
  });

  it('does not flag an ordinary event, even one whose UID looks similar', () => {
    const [spec] = kakaoEventToVevents({ ...lunar, time: { ...lunar.time, lunar: false } }, opts);
    const ics = renderVevents([spec!], { now });
    expect(isExportedLunarOccurrence({ uid: spec!.uid, kind: 'event', ics })).toBe(false);
    expect(isExportedLunarOccurrence({ uid: 'x-lunar-20260217', kind: 'event', ics })).toBe(false);
    expect(
      exportedKakaoId({ uid: 'u', kind: 'event', ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }),
    ).toBeUndefined();
  });

  it('translates an exported lunar occurrence into no event, with a warning saying why', () => {
    const translateCtx = ctx({ horizon: opts.horizon, now });
    const [spec] = kakaoEventToVevents(lunar, opts);
    const item = { uid: spec!.uid, kind: 'event' as const, ics: renderVevents([spec!], { now }) };
    const result = translateEvent(item, translateCtx);
    expect(result.units).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.code).toBe('unsupported');
    expect(result.warnings[0]?.message).toMatch(/our own exported lunar occurrence/);

    // The same event without the lunar mark is an ordinary import and becomes one Kakao event.
    const [solar] = kakaoEventToVevents({ ...lunar, time: { ...lunar.time, lunar: false } }, opts);
    const plain = translateEvent(
      {
        uid: 'x-lunar-20260217',
        kind: 'event',
        ics: renderVevents([{ ...solar!, uid: 'x-lunar-20260217' }], { now }),
      },
      translateCtx,
    );
    expect(plain.units).toHaveLength(1);
  });
});
