// VTIMEZONE blocks for the zones we write, computed from the IANA rules luxon sees: one observance
// per offset change inside the years asked for (explicit DTSTARTs, no RRULE), so any client reads
// the same offsets we used. Pure.
import { DateTime, IANAZone } from 'luxon';

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** The first minute at which the offset differs from the one at `lo` (offset(lo) ≠ offset(hi)). */
function findTransition(zone: IANAZone, lo: number, hi: number): number {
  const before = zone.offset(lo);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

function observance(zone: IANAZone, atMs: number, from: number, to: number): string[] {
  const at = DateTime.fromMillis(atMs, { zone });
  const kind = at.isInDST ? 'DAYLIGHT' : 'STANDARD';
  // DTSTART is the local time of the onset in the offset in force before it.
  const wall = DateTime.fromMillis(atMs + from * 60_000, { zone: 'UTC' }).toFormat("yyyyMMdd'T'HHmmss");
  return [
    `BEGIN:${kind}`,
    `DTSTART:${wall}`,
    `TZOFFSETFROM:${formatOffset(from)}`,
    `TZOFFSETTO:${formatOffset(to)}`,
    `TZNAME:${at.offsetNameShort ?? formatOffset(to)}`,
    `END:${kind}`,
  ];
}

const cache = new Map<string, string | null>();

/** A VTIMEZONE (CRLF lines) for `name` covering the years [fromYear, toYear]; null for a non-IANA name. */
export function vtimezoneFor(name: string, fromYear: number, toYear: number): string | null {
  const key = `${name}|${fromYear}|${toYear}`;
  if (!cache.has(key)) {
    if (cache.size > 1000) cache.clear();
    cache.set(key, buildVtimezone(name, fromYear, toYear));
  }
  return cache.get(key) ?? null;
}

function buildVtimezone(name: string, fromYear: number, toYear: number): string | null {
  if (name === 'UTC' || !IANAZone.isValidZone(name)) return null;
  const zone = IANAZone.create(name);
  const startMs = Date.UTC(fromYear, 0, 1);
  const endMs = Date.UTC(toYear + 1, 0, 1);
  const first = zone.offset(startMs);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${name}`, `X-LIC-LOCATION:${name}`];
  lines.push(...observance(zone, startMs, first, first));
  const day = 86_400_000;
  for (let t = startMs; t < endMs; t += day) {
    const next = Math.min(t + day, endMs);
    const before = zone.offset(t);
    if (zone.offset(next) === before) continue;
    const onset = findTransition(zone, t, next);
    lines.push(...observance(zone, onset, before, zone.offset(onset)));
  }
  lines.push('END:VTIMEZONE');
  return `${lines.join('\r\n')}\r\n`;
}
