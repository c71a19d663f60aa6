import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type InspectReport, inspectCalendar } from '../../../src/cli/inspect/report.js';
import { readCalendarSource } from '../../../src/cli/inspect/run.js';

// Issue #13 class 10: `talkcal inspect` reads a file the way the sync reads a feed (charset by BOM,
// declaration or detection, as the fetcher decodes) and lists the occurrences Talk Calendar shows
// once a RANGE=THISANDFUTURE override has split the series.

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/fidelity/${name}`, import.meta.url));

async function inspectFile(name: string): Promise<InspectReport> {
  const { text, notices } = await readCalendarSource(fixture(name), []);
  return inspectCalendar(text, {
    from: new Date('2023-12-01T00:00:00Z'),
    to: new Date('2024-03-01T00:00:00Z'),
    zone: 'Asia/Seoul',
    now: new Date('2024-01-01T00:00:00Z'),
    occurrences: true,
    decodingNotices: notices,
  });
}

const lines = (report: InspectReport): string[] =>
  report.items.flatMap((i) => (i.occurrences ?? []).map((o) => `${o.start}/${o.end} ${o.title}`));

describe('inspect reads a file as the sync reads a feed', () => {
  it('shows the items of a UTF-16 file with a BOM', async () => {
    const report = await inspectFile('class10-utf16le-bom.ics');
    expect(lines(report)).toEqual(['2024-01-05T09:00:00Z/2024-01-05T10:00:00Z Réunion 회의 UTF-16']);
    expect(report.problems).toEqual([]);
  });

  it('decodes Windows-1252 text as the fetcher does, and says so', async () => {
    const report = await inspectFile('class10-windows-1252.ics');
    expect(lines(report)).toEqual(['2024-01-06T09:00:00Z/2024-01-06T10:00:00Z Café – Münchner Straße']);
    expect(report.notices).toEqual([expect.stringMatching(/^feed charset: .*decoded as windows-1252$/)]);
  });

  it('moves every occurrence from a RANGE=THISANDFUTURE override on', async () => {
    const report = await inspectFile('class10-thisandfuture.ics');
    expect(lines(report)).toEqual([
      '2024-01-01T01:00:00Z/2024-01-01T02:00:00Z Weekly',
      '2024-01-08T01:00:00Z/2024-01-08T02:00:00Z Weekly',
      '2024-01-15T03:00:00Z/2024-01-15T04:30:00Z Weekly later',
      '2024-01-22T03:00:00Z/2024-01-22T04:30:00Z Weekly later',
      '2024-01-29T03:00:00Z/2024-01-29T04:30:00Z Weekly later',
    ]);
  });

  it('names a file that is no calendar in one line', async () => {
    await expect(readCalendarSource(fileURLToPath(import.meta.url), [])).rejects.toThrow(
      /not an iCalendar file/,
    );
  });
});
