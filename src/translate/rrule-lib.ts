// rrule 2.8 ships CommonJS to Node's ESM loader (no named exports there) but ESM to bundlers such as
// vitest: take RRule from whichever shape arrives.
import * as rruleModule from 'rrule';

type RRuleModule = typeof rruleModule;
const lib: RRuleModule = (rruleModule as RRuleModule & { default?: RRuleModule }).default ?? rruleModule;

export const RRule: RRuleModule['RRule'] = lib.RRule;
export type RRule = rruleModule.RRule;
