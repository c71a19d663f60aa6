import { afterEach, describe, expect, it } from 'vitest';
import { TranslationMemoryError, TranslationTimeoutError } from '../../../src/pool/errors.js';
import { inProcessWork, TranslationPool } from '../../../src/pool/translation-pool.js';
import type { SourceItem } from '../../../src/sources/storage.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import type { ItemTranslateOptions } from '../../../src/translate/source-item.js';
import { icsText } from '../../support/ics-text.js';

// The translation threads: same answers as in-process, a task past its time or memory limit stopped
// with an error that names the limit, the pool still serving afterwards, the main loop free meanwhile.

const options: ItemTranslateOptions = {
  userTimeZone: 'Asia/Seoul',
  now: new Date('2026-01-10T00:00:00Z'),
  horizon: { from: new Date('2025-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') },
  suppressDefaultReminders: false,
  limits: defaultLimits,
};
const near = Date.parse('2026-01-10T00:00:00Z');

const event = (n: number): SourceItem => ({
  uid: `e${n}@pool`,
  kind: 'event',
  ics: icsText('VEVENT', `e${n}@pool`, [
    'DTSTART;TZID=Asia/Seoul:20260115T090000',
    'DTEND;TZID=Asia/Seoul:20260115T100000',
    `SUMMARY:Meeting ${n}`,
    'RRULE:FREQ=WEEKLY;BYDAY=MO,WE',
  ]),
});

const feed = (count: number): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    ...Array.from({ length: count }, (_, n) =>
      [
        'BEGIN:VEVENT',
        `UID:f${n}@pool`,
        'DTSTART:20260115T090000Z',
        'DURATION:PT1H',
        `SUMMARY:Feed event ${n}`,
        'END:VEVENT',
      ].join('\r\n'),
    ),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

const limits = { translateThreads: 1, translateTimeoutMs: 20_000, translateMemoryMb: 128 };
let pool: TranslationPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('translation pool', () => {
  it('translates and splits on a thread exactly as in-process', async () => {
    pool = new TranslationPool(limits);
    const items = [event(1), event(2), { uid: 'bad', kind: 'event' as const, ics: 'garbage' }];
    expect(await pool.translate(items, options, 'link a')).toEqual(
      await inProcessWork.translate(items, options, 'link a'),
    );
    const text = feed(50);
    expect(await pool.split(text, 'link a', defaultLimits, near)).toEqual(
      await inProcessWork.split(text, 'link a', defaultLimits, near),
    );
  });

  it('stops a task past limits.translateTimeoutMs and keeps serving', async () => {
    pool = new TranslationPool({ ...limits, translateTimeoutMs: 100 });
    // 20,000 events cannot be translated in 100 ms (≈ 17,000 events/s on a fast core).
    const many = Array.from({ length: 20_000 }, (_, n) => event(n));
    const error = await pool.translate(many, options, 'link slow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranslationTimeoutError);
    expect((error as Error).message).toMatch(
      /^translating link slow took longer than limits\.translateTimeoutMs/,
    );
    const [one] = await pool.translate([event(7)], options, 'link next');
    expect(one?.ok).toBe(true);
  });

  it('stops a task past limits.translateMemoryMb and keeps serving', async () => {
    pool = new TranslationPool({ ...limits, translateMemoryMb: 32 });
    // Every event is kept with its parsed components: far more than 32 MB of heap.
    const error = await pool
      .split(feed(200_000), 'link big', { ...defaultLimits, maxItemsPerSource: 1_000_000 }, near)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranslationMemoryError);
    expect((error as Error).message).toMatch(/limits\.translateMemoryMb \(32 MB\)/);
    expect((await pool.split(feed(3), 'link next', defaultLimits, near)).items).toHaveLength(3);
  });

  it('leaves the main event loop free while a thread works', async () => {
    pool = new TranslationPool(limits);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 5);
    let ticksWhenDone = -1;
    await pool.translate(
      Array.from({ length: 3000 }, (_, n) => event(n)),
      options,
      'link busy',
    );
    ticksWhenDone = ticks;
    clearInterval(timer);
    expect(ticksWhenDone).toBeGreaterThan(0);
  });
});
