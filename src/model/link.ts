import { z } from 'zod';
import { channelTargetSchema } from './channel-target.js';

// A link binds one source collection to one Kakao target with a direction and policies. The daemon
// stores links (validated with `linkSchema`); the sync engine reads them.

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });
/** A feed may also be given as webcal:// or webcals:// (the fetcher reads both over https). */
const feedUrl = z.url({
  protocol: /^(https?|webcals?)$/,
  // webcal is not a special scheme to the URL parser, which would take "webcal:/x" without a host.
  hostname: /./,
  error: 'an http://, https:// or webcal:// URL',
});

export const icsSourceSchema = z.strictObject({
  type: z.literal('ics'),
  /** http(s), or webcal(s) as calendar apps publish it; kept as given. */
  url: feedUrl,
  /** Extra request headers (e.g. Authorization for a private feed). Never logged. */
  headers: z.record(z.string(), z.string()).optional(),
});

export const caldavSourceSchema = z.strictObject({
  type: z.literal('caldav'),
  /** URL of the calendar collection. */
  url: httpUrl,
  username: z.string().optional(),
  password: z.string().optional(),
  bearer: z.string().optional(),
  component: z.enum(['event', 'todo']),
});

export const sourceConfigSchema = z.discriminatedUnion('type', [icsSourceSchema, caldavSourceSchema]);
export type SourceConfig = z.infer<typeof sourceConfigSchema>;

/**
 * Where the items go in Talk Calendar: the primary calendar, a sub-calendar we own, tasks, or the
 * public events of the service's Talk Channel (channel links, see channel-target.ts).
 */
export const kakaoTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('primary') }),
  z.strictObject({
    kind: z.literal('sub-calendar'),
    /** Kakao calendar id once the daemon created it; absent until then. */
    calendarId: z.string().min(1).optional(),
    /** Absent: the source collection's name (X-WR-CALNAME, CalDAV displayname), else the link's. */
    name: z.string().min(1).max(50).optional(),
    /**
     * Set by the daemon when its sync created (or adopted by name after a crash) `calendarId`; never
     * taken from input. Only such a calendar is deleted with its link (`--delete-calendar`).
     */
    createdByDaemon: z.literal(true).optional(),
  }),
  z.strictObject({ kind: z.literal('tasks') }),
  channelTargetSchema,
]);
export type KakaoTarget = z.infer<typeof kakaoTargetSchema>;

export const linkDirectionSchema = z.enum(['to-kakao', 'two-way']);
export type LinkDirection = z.infer<typeof linkDirectionSchema>;

export const conflictPolicySchema = z.enum(['source-wins', 'kakao-wins', 'manual']);
export type ConflictPolicy = z.infer<typeof conflictPolicySchema>;

export const linkFiltersSchema = z.strictObject({
  /** Only items whose title matches this regular expression (JavaScript syntax). */
  includeTitle: z.string().optional(),
  /** Items whose title matches this regular expression are skipped. */
  excludeTitle: z.string().optional(),
  timing: z.enum(['allDay', 'timed', 'both']).default('both'),
  /** Skip invitations the user declined (PARTSTAT=DECLINED for one of `userAddresses`). */
  dropDeclined: z.boolean().default(true),
  /** The user's calendar addresses (mailto:…), to recognise their own ATTENDEE line. */
  userAddresses: z.array(z.string()).default([]),
});
export type LinkFilters = z.infer<typeof linkFiltersSchema>;

export const privacySchema = z.enum(['full', 'title-only', 'busy-only']);
export type Privacy = z.infer<typeof privacySchema>;

export const linkSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ or -'),
    name: z.string().max(100).optional(),
    source: sourceConfigSchema,
    target: kakaoTargetSchema,
    direction: linkDirectionSchema.default('to-kakao'),
    conflict: conflictPolicySchema.default('source-wins'),
    propagateDeletes: z
      .strictObject({
        /** A deletion in the source deletes the Kakao copy. */
        toKakao: z.boolean().default(true),
        /** A deletion in Talk Calendar deletes the source item (two-way only). */
        toSource: z.boolean().default(false),
      })
      .default({ toKakao: true, toSource: false }),
    /** What to do when someone edits or deletes in Talk Calendar an event of a read-only source. */
    kakaoEditsOfReadOnly: z.enum(['revert', 'keep']).default('revert'),
    filters: linkFiltersSchema.default({ timing: 'both', dropDeclined: true, userAddresses: [] }),
    privacy: privacySchema.default('full'),
    /** Send `reminders: []` when the source has no alarm instead of the calendar's default. */
    suppressDefaultReminders: z.boolean().default(false),
    /** Publish other apps' events of this target as busy blocks (the publisher's business). */
    exportBusyBlocks: z.boolean().default(false),
    /** Per-link overrides of config.sync verification cadence. */
    verify: z
      .strictObject({
        nearEveryHours: z.number().min(0.25).optional(),
        farEveryHours: z.number().min(0.25).optional(),
        twoWayReadEveryMinutes: z.number().int().min(1).optional(),
      })
      .default({}),
    enabled: z.boolean().default(true),
    /**
     * On request, a read-only copy of Korean holidays and of the user's subscribed calendars written
     * into this link's CalDAV collection (a two-way link of events: the daemon may write there).
     */
    mirror: z
      .strictObject({ holidays: z.boolean().default(false), subscribed: z.boolean().default(false) })
      .optional(),
  })
  .superRefine((link, ctx) => {
    if (link.target.kind === 'channel' && link.direction !== 'to-kakao') {
      ctx.addIssue({
        code: 'custom',
        path: ['direction'],
        message: 'a channel link is always to-kakao (public events are written only by the channel)',
      });
    }
    const eventsTwoWay =
      link.direction === 'two-way' && link.source.type === 'caldav' && link.source.component === 'event';
    if (link.mirror && (link.mirror.holidays || link.mirror.subscribed) && !eventsTwoWay) {
      ctx.addIssue({
        code: 'custom',
        path: ['mirror'],
        message:
          'holidays and subscribed calendars are written only into the collection of a two-way CalDAV event link',
      });
    }
    if (link.source.type === 'ics' && link.direction !== 'to-kakao') {
      ctx.addIssue({ code: 'custom', path: ['direction'], message: 'an ICS feed link is always to-kakao' });
    }
    const todo = link.source.type === 'caldav' && link.source.component === 'todo';
    if (todo !== (link.target.kind === 'tasks')) {
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: 'CalDAV to-dos go to tasks, and only they do',
      });
    }
    for (const key of ['includeTitle', 'excludeTitle'] as const) {
      const pattern = link.filters[key];
      if (pattern === undefined) continue;
      try {
        new RegExp(pattern);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['filters', key], message: 'not a valid regular expression' });
      }
    }
  });

/** A validated link with every default filled in. */
export type Link = z.infer<typeof linkSchema>;
/** What a caller may hand in (defaults optional). */
export type LinkInput = z.input<typeof linkSchema>;

export function parseLink(input: unknown): Link {
  return linkSchema.parse(input);
}

/** True when the source collection can be written back (two-way links to CalDAV). */
export function isTwoWay(link: Link): boolean {
  return link.direction === 'two-way' && link.source.type === 'caldav';
}
