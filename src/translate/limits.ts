// The bounds on what one source item may make translation compute (config `limits`). Passed in with
// the translation context, never read from the environment; `defaultLimits` equals
// config/default.yaml (a unit test checks it) for tests, benches and callers without a config.
import type { Config } from '../config/schema.js';

export type TranslateLimits = Pick<
  Config['limits'],
  | 'maxItemsPerSource'
  | 'maxTimezonesPerSource'
  | 'maxOverridesPerSeries'
  | 'maxOccurrencesPerEvent'
  | 'maxRuleIterations'
  | 'maxPropertyChars'
>;

export const defaultLimits: Readonly<TranslateLimits> = Object.freeze({
  maxItemsPerSource: 20_000,
  maxTimezonesPerSource: 200,
  maxOverridesPerSeries: 1000,
  maxOccurrencesPerEvent: 400,
  maxRuleIterations: 2_000_000,
  maxPropertyChars: 100_000,
});

/** "12,345": counts in limit messages are read by people. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
