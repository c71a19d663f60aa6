// How one RRULE is walked, and what the walk may cost, decided before walking it. The rule becomes
// an rrule RRule on WALL time (see recurrence.ts); its cost is counted in candidates (days looked
// at plus date-times produced) from where the walk starts to the edge of the window, and a rule
// whose walk could exceed limits.maxRuleIterations is refused (RuleTooCostlyError).
//
// Sub-daily rules get two treatments first. When the lattice of FREQ × INTERVAL hits the same
// hours × minutes × seconds every day (INTERVAL divides the hour or the day), the rule is the DAILY
// rule with those times (RFC 5545: BYHOUR/BYMINUTE/BYSECOND limit their own unit and coarser ones,
// expand finer ones), which rrule walks a day per step instead of a second. Other sub-daily rules
// are walked as they are, from a start a whole number of periods before the window.
import { TalkcalError } from '../model/errors.js';
import { formatCount } from './limits.js';
import { RRule } from './rrule-lib.js';

type Options = ReturnType<typeof RRule.parseString>;

/** An RRULE neither Kakao nor the rrule library can read. */
export class UnreadableRuleError extends TalkcalError {
  readonly scope = 'item';

  constructor(readonly detail: string) {
    super(`unreadable RRULE: ${detail}`);
  }
}

/** A rule's walk would look at more candidates than limits.maxRuleIterations allows. */
export class RuleTooCostlyError extends TalkcalError {
  readonly scope = 'item';

  constructor(
    readonly rule: string,
    readonly detail: string,
  ) {
    super(`RRULE ${rule.length > 80 ? `${rule.slice(0, 80)}…` : rule}: ${detail}`);
  }
}

export interface WalkWindow {
  /** Wall ms: where the walk may start, at the latest (matches before it are not wanted). */
  fromWallMs: number;
  /** Wall ms: matches at or past it end the walk. */
  edgeWallMs: number;
  /**
   * Matches in [countFromWallMs, countToWallMs) surely count toward `cap`, and the caller ends the
   * walk at `cap` counted matches (others may count too).
   */
  countFromWallMs: number;
  countToWallMs: number;
  cap: number;
}

export interface RuleWalkPlan {
  rule: RRule;
  /** Periods the walk may take: enough to pass the window's edge. */
  maxPeriods: number;
}

const hourMs = 3_600_000;
const dayMs = 86_400_000;
const { YEARLY, DAILY, HOURLY, MINUTELY, SECONDLY } = RRule;
/** The shortest length of one period of each FREQ (rrule's Frequency: YEARLY = 0 … SECONDLY = 6). */
const minPeriodMs = [365 * dayMs, 28 * dayMs, 7 * dayMs, dayMs, hourMs, 60_000, 1000];
/** Days rrule looks at in one period of each FREQ. */
const daysPerPeriod = [366, 31, 7, 1, 1, 1, 1];
const dayFilters = [
  'bymonth',
  'bymonthday',
  'bynmonthday',
  'byyearday',
  'byweekno',
  'byweekday',
  'bynweekday',
  'byeaster',
  'bysetpos',
] as const;

/** A BY value as a list; undefined when absent or empty. */
const listOf = (value: unknown): number[] | undefined => {
  if (value === null || value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value as number];
  return list.length > 0 ? list : undefined;
};
const range = (size: number): number[] => Array.from({ length: size }, (_, i) => i);
const lattice = (size: number, step: number, start: number): number[] =>
  range(size).filter((v) => (((v - start) % step) + step) % step === 0);
const intersect = (a: number[], b: number[] | undefined): number[] =>
  b ? a.filter((v) => b.includes(v)) : a;

/**
 * The plan to walk `text` (UNTIL already removed into `untilWallMs`) from DTSTART `startWallMs`,
 * or null when the rule has no occurrence besides DTSTART. Throws UnreadableRuleError or
 * RuleTooCostlyError.
 */
export function planRuleWalk(
  text: string,
  startWallMs: number,
  untilWallMs: number | undefined,
  window: WalkWindow,
  maxIterations: number,
): RuleWalkPlan | null {
  let options: Options;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    throw new UnreadableRuleError((error as Error).message);
  }
  if (untilWallMs !== undefined) options.until = new Date(untilWallMs);
  const freq = options.freq ?? YEARLY;
  const n = options.interval ?? 1;
  if (freq >= HOURLY) {
    const daily = asDaily(options, freq, n, new Date(startWallMs));
    if (daily === null) return null;
    if (daily) options = daily;
    else {
      const hazard = spinHazard(options, freq, n, new Date(startWallMs));
      if (hazard) throw new RuleTooCostlyError(text, hazard);
    }
  }
  const start = iterationStart(options, startWallMs, window.fromWallMs);
  let rule: RRule;
  try {
    rule = new RRule({ ...options, dtstart: new Date(start), tzid: null });
  } catch (error) {
    throw new UnreadableRuleError((error as Error).message);
  }
  const edge = untilWallMs === undefined ? window.edgeWallMs : Math.min(window.edgeWallMs, untilWallMs);
  const cost = walkCost(rule, start, edge, window);
  if (cost.candidates > maxIterations) {
    throw new RuleTooCostlyError(
      text,
      `expanding it could look at ${formatCount(cost.candidates)} dates; limits.maxRuleIterations is ${formatCount(maxIterations)}`,
    );
  }
  return { rule, maxPeriods: cost.periods };
}

/** The sub-daily rule as a DAILY one with explicit times; undefined if its lattice moves from day to day, null if it hits no time. */
function asDaily(options: Options, freq: number, n: number, start: Date): Options | null | undefined {
  const stepSeconds = n * [3600, 60, 1][freq - HOURLY]!;
  const [h0, m0, s0] = [start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()];
  let hit: { hours: number[]; minutes: number[]; seconds: number[] };
  if (stepSeconds < 60 && 60 % stepSeconds === 0) {
    hit = { hours: range(24), minutes: range(60), seconds: lattice(60, stepSeconds, s0) };
  } else if (stepSeconds % 60 === 0 && stepSeconds < 3600 && 60 % (stepSeconds / 60) === 0) {
    hit = { hours: range(24), minutes: lattice(60, stepSeconds / 60, m0), seconds: [s0] };
  } else if (stepSeconds % 3600 === 0 && 24 % (stepSeconds / 3600) === 0) {
    hit = { hours: lattice(24, stepSeconds / 3600, h0), minutes: [m0], seconds: [s0] };
  } else {
    return undefined;
  }
  // A BY list limits its own unit and coarser ones, and expands finer ones (RFC 5545 §3.3.10).
  const byhour = listOf(options.byhour);
  const byminute = listOf(options.byminute);
  const bysecond = listOf(options.bysecond);
  const hours = intersect(hit.hours, byhour);
  const minutes = freq === HOURLY ? (byminute ?? [m0]) : intersect(hit.minutes, byminute);
  const seconds = freq === SECONDLY ? intersect(hit.seconds, bysecond) : (bysecond ?? [s0]);
  // BYSETPOS picks within the set of one period, here a single instant: 1 and -1 keep it.
  const setpos = listOf(options.bysetpos);
  if (setpos && !setpos.includes(1) && !setpos.includes(-1)) return null;
  if (hours.length === 0 || minutes.length === 0 || seconds.length === 0) return null;
  return {
    ...options,
    freq: DAILY,
    interval: 1,
    byhour: hours,
    byminute: minutes,
    bysecond: seconds,
    bysetpos: null,
  };
}

/**
 * Why rrule could step forever looking for the next time (it loops inside one step until the
 * hour, minute and second are all in their BY lists), or undefined when it cannot: an HOURLY
 * rule reaches a BYHOUR value on its lattice, and finer rules start on a time their lists allow
 * (each step then comes back to an allowed time at worst after a day).
 */
function spinHazard(options: Options, freq: number, n: number, start: Date): string | undefined {
  const byhour = listOf(options.byhour);
  const byminute = listOf(options.byminute);
  const bysecond = listOf(options.bysecond);
  const h0 = start.getUTCHours();
  if (freq === HOURLY) {
    const g = gcd(n, 24);
    if (!byhour || byhour.some((h) => (((h - h0) % g) + g) % g === 0)) return undefined;
    return `INTERVAL=${n} never reaches BYHOUR from DTSTART's hour`;
  }
  const fits =
    (!byhour || byhour.includes(h0)) &&
    (!byminute || byminute.includes(start.getUTCMinutes())) &&
    (freq !== SECONDLY || !bysecond || bysecond.includes(start.getUTCSeconds()));
  return fits ? undefined : `INTERVAL=${n} with BYHOUR/BYMINUTE/BYSECOND that DTSTART's time does not meet`;
}

/** Whether rrule's steps search for BY values (each FREQ searches its own unit and coarser ones). */
function searchesTime(
  freq: number,
  o: { byhour?: unknown; byminute?: unknown; bysecond?: unknown },
): boolean {
  return (
    listOf(o.byhour) !== undefined ||
    (freq >= MINUTELY && listOf(o.byminute) !== undefined) ||
    (freq === SECONDLY && listOf(o.bysecond) !== undefined)
  );
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A period length such that starting whole periods later yields the same later occurrences. */
function skipUnit(options: Options): number | undefined {
  const freq = options.freq ?? YEARLY;
  const n = options.interval ?? 1;
  if (options.count !== undefined && options.count !== null) return undefined;
  if (freq === DAILY) return n * dayMs;
  if (freq < DAILY) return undefined;
  const step = n * minPeriodMs[freq]!;
  // rrule's steps search BYHOUR/BYMINUTE/BYSECOND from the time of day they start at: keep it.
  return searchesTime(freq, options) ? lcm(step, dayMs) : step;
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

/**
 * Where the walk starts: DTSTART, or (without COUNT) a whole number of periods later, just before
 * `fromWallMs` — the same lattice, so the same occurrences from there on.
 */
function iterationStart(options: Options, startWallMs: number, fromWallMs: number): number {
  const unit = skipUnit(options);
  if (unit === undefined) return startWallMs;
  const periods = Math.floor((fromWallMs - startWallMs) / unit);
  return periods > 0 ? startWallMs + periods * unit : startWallMs;
}

/** Periods to walk from `start` past `edge`, and the candidates they may cost at most. */
function walkCost(rule: RRule, start: number, edge: number, window: WalkWindow) {
  const o = rule.options;
  const periodsTo = (t: number) => periodsBetween(o, start, t);
  const periods = periodsTo(edge);
  const times = timesPerDay(o);
  const count = o.count ?? Number.POSITIVE_INFINITY;
  const before = periodsTo(window.countFromWallMs);
  const after = Math.max(0, periods - periodsTo(window.countToWallMs) + 2);
  if (o.freq > DAILY) {
    // Sub-daily: a period per lattice point, each of which a step may pass through; when every
    // point matches, the cap (in the counted span) or COUNT ends the walk first.
    const everyPoint = !dayFilters.some((k) => listOf(o[k])) && !searchesTime(o.freq, o);
    const capped = before + Math.ceil(window.cap / times) + 1 + after;
    const walked = everyPoint ? Math.min(periods, capped, Math.ceil(count / times) + 1) : periods;
    return { periods, candidates: walked * times };
  }
  const days = daysPerPeriod[o.freq]!;
  const perPeriod = days * times;
  if (listOf(o.bysetpos)) return { periods, candidates: periods * perPeriod };
  // Days looked at in every period; date-times produced, at most `cap` + 1 in the counted span.
  const produced = Math.min(count, periods * perPeriod, (before + after) * perPeriod + window.cap + 1);
  return { periods, candidates: periods * days + produced };
}

/** Periods of the rule from `start` to `edge` (wall ms), at most: each is at least its shortest length. */
export function periodsBetween(o: RRule['options'], start: number, edge: number): number {
  return Math.max(0, Math.ceil((edge - start) / (minPeriodMs[o.freq]! * o.interval))) + 2;
}

/** Candidates one period looks at: its days, times the date-times of each. */
export function candidatesPerPeriod(o: RRule['options']): number {
  return daysPerPeriod[o.freq]! * timesPerDay(o);
}

/** Date-times one day (sub-daily: one lattice point) yields: the product of the time lists. */
function timesPerDay(o: RRule['options']): number {
  const size = (v: number[] | null) => (v && v.length > 0 ? v.length : 1);
  if (o.freq <= DAILY) return size(o.byhour) * size(o.byminute) * size(o.bysecond);
  if (o.freq === HOURLY) return size(o.byminute) * size(o.bysecond);
  if (o.freq === MINUTELY) return size(o.bysecond);
  return 1;
}
