import { z } from 'zod';
import { InvalidFeedInputError } from './errors.js';

// A published feed: what it shows (all calendars, one calendar, tasks, Korean holidays) and how
// other apps' events appear. The record holds the token's hash, never the token.

export const feedKinds = ['all', 'calendar', 'tasks', 'holidays'] as const;
export type FeedKind = (typeof feedKinds)[number];

export const feedInputSchema = z
  .strictObject({
    kind: z.enum(feedKinds).default('all'),
    /** For kind 'calendar': the Kakao calendar id ('primary' or a sub-calendar id). */
    calendarId: z.string().min(1).max(200).optional(),
    /** Overrides config.publish.otherAppEvents for this feed. */
    otherAppEvents: z.enum(['busy', 'hide']).optional(),
    name: z.string().min(1).max(100).optional(),
  })
  .refine((f) => (f.kind === 'calendar') === (f.calendarId !== undefined), {
    message: "calendarId is required for kind 'calendar' and only allowed there",
    path: ['calendarId'],
  });
export type FeedInput = z.infer<typeof feedInputSchema>;

export interface FeedRecord {
  id: string;
  userId: string;
  kind: FeedKind;
  calendarId?: string;
  otherAppEvents?: 'busy' | 'hide';
  name?: string;
  tokenHash: string;
  createdAt: string;
  rotatedAt?: string;
}

/** What the admin API and CLI show of a feed (no token hash). */
export type PublicFeed = Omit<FeedRecord, 'tokenHash'>;

export function publicFeed(record: FeedRecord): PublicFeed {
  const { tokenHash: _hidden, ...rest } = record;
  return rest;
}

export function parseFeedInput(input: unknown): FeedInput {
  const parsed = feedInputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'feed'}: ${i.message}`).join('; ');
    throw new InvalidFeedInputError(`invalid feed: ${why}`);
  }
  return parsed.data;
}

/** https://host/feeds/<token>.ics and its webcal:// twin for one-click subscription. */
export function feedUrls(publicBaseUrl: string, token: string): { url: string; webcal: string } {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const url = `${base}/feeds/${token}.ics`;
  return { url, webcal: url.replace(/^https?:\/\//i, 'webcal://') };
}
