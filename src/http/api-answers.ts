import { z } from 'zod';
import { conflictPolicySchema, kakaoTargetSchema, linkDirectionSchema } from '../model/link.js';
import { userStates } from '../registry/user-store.js';

// What the admin API answers, as zod schemas: addRoute checks every JSON answer against the schema
// of its status and the OpenAPI document is written from them. Parts that belong to other layers
// (a run's counts, a plan, the quota) are open objects: their fields pass through unchecked.

const timestamp = z.string().meta({ description: 'ISO 8601' });
const open = (description: string) => z.looseObject({}).meta({ description });

export const userAnswer = z.looseObject({
  id: z.string(),
  timeZone: z.string(),
  state: z.enum(userStates),
  intervalMinutes: z.number().int().optional().meta({ description: 'absent: sync.intervalMinutes' }),
  hasTokens: z.boolean(),
  channel: z.string().optional().meta({ description: 'the Talk Channel whose links this pseudo-user holds' }),
  stateReason: z.string().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const linkAnswer = z
  .looseObject({
    id: z.string(),
    name: z.string().optional(),
    source: z.looseObject({
      type: z.enum(['ics', 'caldav']),
      url: z.string().meta({ description: 'without credentials or query secrets' }),
      component: z.enum(['event', 'todo']).optional(),
      hasCredentials: z.boolean(),
    }),
    target: kakaoTargetSchema,
    direction: linkDirectionSchema,
    conflict: conflictPolicySchema,
    enabled: z.boolean(),
  })
  .meta({ description: 'A link (src/model/link.ts) with its source redacted' });

export const usersAnswer = z.object({
  users: z.array(userAnswer),
  next: z.string().nullable().meta({ description: 'the cursor of the next page; null after the last' }),
});
export const linksAnswer = z.object({ links: z.array(linkAnswer) });

const linkRun = open("a link's part of the last run: counts, warnings, quarantined items");
const backoff = open('failures, retryAt, reason, since');

export const userStatusAnswer = z.looseObject({
  user: userAnswer,
  scheduled: z.boolean(),
  links: z.array(linkAnswer),
  lastRun: open('the last run of the user (without its result)').optional(),
  linkRuns: z.array(linkRun),
  backoff: z.record(z.string(), backoff).meta({ description: 'links that failed, by id' }),
});

export const linkStatusAnswer = z.object({
  link: linkAnswer,
  lastRun: open('the last run of the user').optional(),
  run: linkRun.nullable(),
  backoff: backoff.nullable(),
});

export const appStatusAnswer = z.looseObject({
  users: z.record(z.enum(userStates), z.number().int()),
  queue: open('job counts, lagSeconds, workers, admission'),
  quota: open("today's Kakao calls against the quota"),
  verification: open('how fast Talk Calendar-side drift is found, and its price per link per day'),
  startup: z
    .object({
      schedules: z.object({
        startedAt: z.string(),
        total: z.number().int().meta({ description: 'users registered when the check started' }),
        checked: z.number().int(),
        repaired: z.number().int().meta({ description: 'schedules written again (missing or changed)' }),
        finishedAt: z.string().optional(),
        error: z.string().optional().meta({ description: 'why the check stopped early' }),
      }),
    })
    .optional()
    .meta({ description: "the last daemon start's check of every user's schedule" }),
});

export const renameAnswer = z.object({ link: linkAnswer, calendarRenamed: z.boolean() });

export const removalAnswer = z.object({
  removed: z.boolean(),
  calendar: z.object({ id: z.string(), name: z.string().optional(), deleted: z.boolean() }).optional(),
  message: z.string().meta({ description: 'one line for people' }),
});

export const triggerAnswer = z.object({
  jobId: z.string(),
  deduplicated: z.boolean().meta({ description: 'a sync of the user was already queued or running' }),
});

export const finishedAnswer = z.looseObject({
  jobId: z.string(),
  deduplicated: z.boolean().optional(),
  outcome: z.unknown().meta({ description: "the sync's result (the plan, for a dry run)" }),
});

export const conflictsAnswer = z.object({ conflicts: z.array(open('a pending conflict of a manual link')) });

export const resolvedAnswer = z.object({
  resolved: z.unknown().meta({ description: 'the conflicts resolved' }),
  note: z.string(),
});

export const userParams = z.object({ userId: z.string().meta({ description: 'Kakao user id' }) });
export const linkParams = userParams.extend({ linkId: z.string() });

export const syncQuery = z.object({
  wait: z.enum(['true', 'false']).optional().meta({ description: 'answer when the sync is over' }),
  force: z.enum(['true', 'false']).optional().meta({ description: 'read every source again' }),
  timeoutMs: z.coerce
    .number()
    .int()
    .min(1)
    .max(3_600_000)
    .optional()
    .meta({ description: 'how long wait=true waits' }),
});
