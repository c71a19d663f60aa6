import { parseArgs } from 'node:util';
import type { FaultsPlan } from './scenario-faults.js';
import type { KillPlan } from './scenario-kill.js';

// Command line of `npm run chaos`, and the size of each scenario in the full and the quick run.

export const scenarioIds = ['kill', 'redis', 'faults', 'hostile'] as const;
export type ScenarioId = (typeof scenarioIds)[number];

export interface ChaosOptions {
  quick: boolean;
  seed: number;
  out: string;
  only: ScenarioId[];
  /** Hostile rows to run (ids), or all of the mode's. */
  rows: string[] | undefined;
}

export interface Profile {
  kill: KillPlan;
  redis: { users: number; eventsPerUser: number; kills: number };
  faults: FaultsPlan;
  hostile: { healthyUsers: number; healthyEvents: number; goodEvents: number; control: boolean };
}

export function profileOf(quick: boolean): Profile {
  return quick
    ? {
        kill: { kills: 8, usersPerCohort: 1, eventsPerUser: 300 },
        redis: { users: 2, eventsPerUser: 300, kills: 1 },
        faults: { users: 2, eventsPerUser: 300, share: 0.1, changes: false },
        hostile: { healthyUsers: 2, healthyEvents: 200, goodEvents: 50, control: false },
      }
    : {
        kill: { kills: 30, usersPerCohort: 3, eventsPerUser: 300 },
        redis: { users: 3, eventsPerUser: 300, kills: 3 },
        faults: { users: 4, eventsPerUser: 300, share: 0.1, changes: true },
        hostile: { healthyUsers: 3, healthyEvents: 200, goodEvents: 50, control: true },
      };
}

export const usage =
  'usage: npm run chaos -- [--quick] [--seed N] [--out FILE] [--only kill,redis,faults,hostile] [--rows ID,…]';

/** Parses the arguments; a string says what is wrong. */
export function parseOptions(argv: string[], defaultOut: string): ChaosOptions | string {
  let values: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        seed: { type: 'string' },
        out: { type: 'string' },
        only: { type: 'string' },
        rows: { type: 'string' },
      },
    }).values;
  }
  try {
    values = parse();
  } catch (error) {
    return (error as Error).message;
  }
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) return `--seed must be a non-negative integer, got ${values.seed}`;
  const only = values.only === undefined ? [...scenarioIds] : values.only.split(',').map((s) => s.trim());
  const unknown = only.filter((s) => !(scenarioIds as readonly string[]).includes(s));
  if (unknown.length > 0)
    return `--only: unknown scenario(s) ${unknown.join(', ')}; known: ${scenarioIds.join(', ')}`;
  return {
    quick: values.quick ?? false,
    seed,
    out: values.out ?? defaultOut,
    only: only as ScenarioId[],
    rows: values.rows?.split(',').map((s) => s.trim()),
  };
}
