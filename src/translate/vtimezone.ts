// Offsets of a custom VTIMEZONE block (Outlook's "Customized Time Zone", old Exchange blocks), read
// from its own STANDARD/DAYLIGHT observances, and the IANA zone whose offsets match it. The
// observance rules of one year cost at most limits.maxRuleIterations candidates together (rules
// finer than daily are not read), and the caches are bounded.
import { IANAZone } from 'luxon';
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { BoundedMap } from './bounded-map.js';
import type { ParsedComponent } from './parse.js';
import { prop, propsNamed } from './parse.js';
import { RRule } from './rrule-lib.js';
import { candidatesPerPeriod, periodsBetween } from './rule-plan.js';
import { walkRule } from './rule-walk.js';

interface Onset {
  utcMs: number;
  offsetTo: number;
}

interface Observance {
  /** DTSTART wall time as if it were UTC (ms). */
  startWall: number;
  offsetFrom: number;
  offsetTo: number;
  rrule?: string;
  rdates: number[];
}

/** "+0530" / "-0800" / "+013000" → minutes east of UTC. */
export function parseUtcOffset(text: string): number | undefined {
  const m = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** "YYYYMMDDTHHMMSS[Z]" read as wall time, returned as the ms of that wall time taken as UTC. */
function wallMs(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?Z?$/.exec(value.trim());
  if (!m) return undefined;
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
  );
}

function readObservances(block: ParsedComponent): Observance[] {
  const out: Observance[] = [];
  for (const child of block.children) {
    if (child.name !== 'STANDARD' && child.name !== 'DAYLIGHT') continue;
    const start = wallMs(prop(child, 'DTSTART')?.value ?? '');
    const from = parseUtcOffset(prop(child, 'TZOFFSETFROM')?.value ?? '');
    const to = parseUtcOffset(prop(child, 'TZOFFSETTO')?.value ?? '');
    if (start === undefined || to === undefined) continue;
    const rdates = propsNamed(child, 'RDATE')
      .flatMap((p) => p.value.split(','))
      .map(wallMs)
      .filter((v): v is number => v !== undefined);
    out.push({
      startWall: start,
      offsetFrom: from ?? to,
      offsetTo: to,
      rrule: prop(child, 'RRULE')?.value,
      rdates,
    });
  }
  return out;
}

/**
 * Observances usually start in 1601 with a yearly rule: iterating 400 years for each lookup is
 * slow, so a plain yearly rule (no COUNT, interval 1) starts two years before `year` instead —
 * same month, day and time, hence the same onsets.
 */
function fastForward(o: Observance, year: number): number {
  const start = new Date(o.startWall);
  const rule = o.rrule?.toUpperCase() ?? '';
  const plainYearly = /FREQ=YEARLY/.test(rule) && !/COUNT=/.test(rule) && !/INTERVAL=(?!1(?:;|$))/.test(rule);
  const leapDay = start.getUTCMonth() === 1 && start.getUTCDate() === 29;
  if (!plainYearly || leapDay || start.getUTCFullYear() >= year - 2) return o.startWall;
  start.setUTCFullYear(year - 2);
  return start.getTime();
}

/** The offset rules of one VTIMEZONE block; onsets are computed per year on demand. */
export class VTimezoneRules {
  private readonly observances: Observance[];
  private readonly onsetsByYear = new BoundedMap<number, Onset[]>(16);
  /** Some observance rule was left unread: walking it would have cost more than allowed. */
  costly = false;

  constructor(
    readonly tzid: string,
    block: ParsedComponent,
    private readonly maxIterations: number,
  ) {
    this.observances = readObservances(block);
  }

  get usable(): boolean {
    return this.observances.length > 0;
  }

  private onsets(year: number): Onset[] {
    const cached = this.onsetsByYear.get(year);
    if (cached) return cached;
    const from = Date.UTC(year - 1, 0, 1);
    const to = Date.UTC(year + 1, 0, 1);
    const onsets: Onset[] = [];
    let budget = this.maxIterations;
    for (const o of this.observances) {
      // The window's onsets, and the last one before it (which is in force when the window opens).
      let before: number | undefined;
      const take = (wall: number) => {
        if (wall >= to) return false;
        if (wall < from) before = Math.max(before ?? wall, wall);
        else onsets.push({ utcMs: wall - o.offsetFrom * 60_000, offsetTo: o.offsetTo });
        return true;
      };
      for (const wall of [o.startWall, ...o.rdates]) take(wall);
      if (o.rrule) budget -= this.walkObservance(o, year, to, budget, take);
      if (before !== undefined) onsets.push({ utcMs: before - o.offsetFrom * 60_000, offsetTo: o.offsetTo });
    }
    onsets.sort((a, b) => a.utcMs - b.utcMs);
    this.onsetsByYear.set(year, onsets);
    return onsets;
  }

  /** Walks an observance's rule up to `to`; returns the candidates it cost (0 when not walked). */
  private walkObservance(
    o: Observance,
    year: number,
    to: number,
    budget: number,
    take: (wall: number) => boolean,
  ): number {
    let rule: RRule;
    try {
      rule = new RRule({ ...RRule.parseString(o.rrule ?? ''), dtstart: new Date(fastForward(o, year)) });
    } catch {
      return 0; // An unreadable observance rule leaves only its DTSTART.
    }
    const opts = rule.options;
    // Finer than daily is no time zone rule (and could loop in rrule): left unread.
    if (opts.freq > RRule.DAILY) return 0;
    const periods = periodsBetween(opts, opts.dtstart.getTime(), to);
    const cost = periods * candidatesPerPeriod(opts);
    if (cost > budget) {
      this.costly = true;
      return 0;
    }
    walkRule(rule, { maxPeriods: periods, onMatch: take });
    return cost;
  }

  /** Minutes east of UTC in force at `utcMs`. */
  offsetAt(utcMs: number): number {
    const year = new Date(utcMs).getUTCFullYear();
    const onsets = this.onsets(year);
    let offset: number | undefined;
    for (const o of onsets) {
      if (o.utcMs <= utcMs) offset = o.offsetTo;
      else break;
    }
    if (offset !== undefined) return offset;
    // Before every onset: the earliest observance's TZOFFSETFROM.
    const first = [...this.observances].sort((a, b) => a.startWall - b.startWall)[0];
    return first?.offsetFrom ?? 0;
  }

  /** Instants worth comparing: two per month plus each onset ± 2 h, in the year of `nearMs`. */
  samplePoints(nearMs: number): number[] {
    const year = new Date(nearMs).getUTCFullYear();
    const points: number[] = [];
    for (let m = 0; m < 12; m++) points.push(Date.UTC(year, m, 1, 12), Date.UTC(year, m, 15, 12));
    // Only that year: Windows blocks project today's rules onto every year, so a neighbour year's
    // transitions may legitimately differ from the zone's history.
    for (const o of this.onsets(year)) {
      if (new Date(o.utcMs).getUTCFullYear() !== year) continue;
      points.push(o.utcMs - 7_200_000, o.utcMs + 7_200_000);
    }
    return points;
  }
}

let allZones: string[] | undefined;
let primary: string[] | undefined;

/** The main IANA zone of each Windows zone (Europe/Berlin rather than Africa/Ceuta for W. Europe). */
function primaryZones(): string[] {
  primary ??= (WINDOWS_TO_IANA_MAP as unknown as { territory: string; iana: string[] }[])
    .filter((e) => e.territory === '001')
    .map((e) => e.iana[0])
    .filter((z): z is string => z !== undefined);
  return primary;
}
const matchCache = new BoundedMap<string, string | null>(256, 4096);

/**
 * The IANA zone whose offsets equal the block's at every sample point of the year around `nearMs`,
 * preferring `preferred` names (e.g. the windows-iana mapping of the TZID) when they match.
 */
export function matchIanaZone(
  rules: VTimezoneRules,
  nearMs: number,
  preferred: string[],
): string | undefined {
  const points = rules.samplePoints(nearMs);
  const expected = points.map((p) => rules.offsetAt(p));
  const key = `${rules.tzid}|${expected.join(',')}|${points.join(',')}`;
  const cached = matchCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  allZones ??= Intl.supportedValuesOf('timeZone');
  const matches = (zone: string): boolean => {
    const z = IANAZone.create(zone);
    return z.isValid && points.every((p, i) => z.offset(p) === expected[i]);
  };
  const found = preferred.find(matches) ?? primaryZones().find(matches) ?? allZones.find(matches);
  matchCache.set(key, found ?? null);
  return found;
}
