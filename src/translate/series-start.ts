// Where a Kakao series starts. Kakao addresses a recurring event through one of its instances
// ({id}_{start}), and the engine addresses ALL updates and deletes through the series' first one; a
// deleted instance is not listed and has no id (an ALL call sent to it answers 404). So a series
// whose first occurrences the source removes (EXDATE, a cancelled override) starts in Kakao at the
// first occurrence it keeps, COUNT lowered by the occurrences skipped: the same occurrences, and an
// instance every later ALL call can address, under the same Kakao id.
import { expandOccurrences, ruleParts, type Series } from './recurrence.js';

const yearMs = 366 * 86_400_000;
/** How far past the last removed start the first kept occurrence is looked for. */
const searchYears = 100;

export interface KeptStart {
  /** The first occurrence kept (UTC ms; all-day: the date at 00:00Z). */
  startMs: number;
  /** Occurrences before it, all removed: what COUNT is lowered by. */
  skipped: number;
}

/**
 * The first occurrence the source keeps when the series' own first (`firstMs`) is removed;
 * undefined when the first is kept (nothing to move), null when no occurrence is kept at all.
 */
export function firstKeptStart(
  series: Series,
  firstMs: number,
  removed: ReadonlySet<number>,
  maxIterations: number,
): KeptStart | null | undefined {
  if (!removed.has(firstMs)) return undefined;
  const rules = { ...series, exdates: [] };
  const last = Math.max(...removed);
  const all = { maxOccurrences: Number.POSITIVE_INFINITY, maxIterations };
  const upToLast = expandOccurrences(rules, firstMs, last + 1, all).starts;
  const kept = upToLast.findIndex((ms) => !removed.has(ms));
  if (kept >= 0) return { startMs: upToLast[kept] as number, skipped: kept };
  const next = expandOccurrences(rules, last + 1, last + 1 + searchYears * yearMs, {
    maxOccurrences: 1,
    maxIterations,
  }).starts[0];
  return next === undefined ? null : { startMs: next, skipped: upToLast.length };
}

/** The rule with its COUNT lowered by `skipped` (a rule without COUNT is returned unchanged). */
export function ruleFromKeptStart(rule: string, skipped: number): string {
  const parts = ruleParts(rule);
  const count = parts.get('COUNT');
  if (count === undefined || skipped === 0) return rule;
  parts.set('COUNT', String(Math.max(1, Number.parseInt(count, 10) - skipped)));
  return [...parts].map(([k, v]) => `${k}=${v}`).join(';');
}
