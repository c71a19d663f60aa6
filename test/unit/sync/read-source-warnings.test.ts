// The daemon's side of a translation warning: what translate reports on an item (here a
// description cut to Kakao's 5,000 characters) reaches the link's run result, which `talkcal
// users show` and the status API print.
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../src/sources/memory/storage.js';
import { readSource } from '../../../src/sync/read-source.js';
import { emptyLinkState } from '../../../src/sync/store/mapping.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { translateItems } from '../../../src/translate/source-item.js';
import { link } from '../../support/sync-fixtures.js';

const vevent = (uid: string, description: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTART:20250301T090000Z',
    'DTEND:20250301T100000Z',
    'SUMMARY:long',
    `DESCRIPTION:${description}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');

describe('readSource', () => {
  it('reports the translation warnings of the items it read, one line per code', async () => {
    const storage = new MemoryStorage();
    storage.set({ uid: 'a', kind: 'event', ics: vevent('a', 'x'.repeat(6000)) });
    storage.set({ uid: 'b', kind: 'event', ics: vevent('b', 'y'.repeat(7000)) });
    storage.set({ uid: 'c', kind: 'event', ics: vevent('c', 'short') });
    const ctx = {
      userTimeZone: 'Asia/Seoul',
      horizon: { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') },
      suppressDefaultReminders: false,
      now: new Date('2025-01-01T00:00:00Z'),
      limits: defaultLimits,
    };
    const { warnings } = await readSource(
      link(),
      emptyLinkState(),
      {
        storage,
        translateMany: async (items) => translateItems(items, ctx),
      },
      true,
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /^description-truncated: 2 items \(e\.g\. [ab]: description cut to 5000 characters\)$/,
      ),
    ]);
  });
});
