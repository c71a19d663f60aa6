import { KakaoNotFoundError } from '../kakao/errors.js';
import type { ChannelTarget } from '../model/channel-target.js';
import { TalkcalError } from '../model/errors.js';
import type { QuotaGate } from '../model/quota.js';
import type { FollowReport, FollowStore } from './follow-store.js';
import { checkRelations, type RelationApi } from './relation-check.js';
import { dueForCheck, type RelationRecord } from './relations.js';

// Following public events for users ("Add public event to user calendar", with each user's token)
// and unfollowing them (deleting the event from their calendar, as the API documents). Before any
// follow the user's relationship with the channel is checked: users who blocked it, never added
// it, or cannot be checked are skipped and reported; their check is repeated once it is stale.

export interface FollowerApi {
  follow(userId: string, eventId: string, calendarId: string | undefined): Promise<void>;
  unfollow(userId: string, eventId: string): Promise<void>;
}

export interface FollowDeps {
  relations: RelationApi;
  followers: FollowerApi;
  store: FollowStore;
  /** Follows and unfollows are Talk Calendar calls of the follower. */
  quota: QuotaGate;
  now: () => Date;
  /** config.channels.relationRecheckHours in ms. */
  recheckMs: number;
}

export interface FollowRequest {
  channelPublicId: string;
  eventIds: readonly string[];
  userIds: readonly string[];
  calendarId?: string;
  linkId?: string;
  /** Check every user now (a follow someone asked for); else only users whose check is stale. */
  freshCheck: boolean;
}

/** An error that ends the work for one user (their tokens, consent or account), not for all. */
function endsUser(err: unknown): err is TalkcalError {
  return err instanceof TalkcalError && err.scope === 'user';
}

/** An error that concerns one event of one user (gone, refused, transient), not the whole pass. */
function concernsItem(err: unknown): err is TalkcalError {
  return err instanceof TalkcalError && (err.scope === 'item' || err.scope === 'retryable');
}

async function verdicts(deps: FollowDeps, req: FollowRequest, now: Date) {
  const known = await deps.store.relations(req.channelPublicId);
  const due = dueForCheck(req.userIds, known, now, deps.recheckMs, req.freshCheck);
  const checked = await checkRelations(deps.relations, req.channelPublicId, due);
  const fresh = new Map<string, RelationRecord>(
    [...checked].map(([id, verdict]) => [id, { verdict, checkedAt: now.toISOString() }]),
  );
  await deps.store.setRelations(req.channelPublicId, fresh);
  return (userId: string) => fresh.get(userId)?.verdict ?? known.get(userId)?.verdict ?? 'unchecked';
}

export async function followEvents(deps: FollowDeps, req: FollowRequest): Promise<FollowReport> {
  const now = deps.now();
  const report: FollowReport = {
    channelPublicId: req.channelPublicId,
    at: now.toISOString(),
    followed: {},
    skipped: [],
    failed: [],
  };
  const verdictOf = await verdicts(deps, req, now);
  for (const userId of req.userIds) {
    const verdict = verdictOf(userId);
    if (verdict !== 'added') {
      report.skipped.push({ userId, reason: verdict });
      continue;
    }
    await followForUser(deps, req, userId, report);
  }
  return report;
}

async function followForUser(deps: FollowDeps, req: FollowRequest, userId: string, report: FollowReport) {
  const already = new Set((await deps.store.followsOf(userId)).map((f) => f.eventId));
  for (const eventId of req.eventIds) {
    if (already.has(eventId)) continue;
    await deps.quota.acquire(userId, 'write', 1);
    try {
      await deps.followers.follow(userId, eventId, req.calendarId);
    } catch (err) {
      if (endsUser(err)) {
        report.skipped.push({ userId, reason: err.message });
        return;
      }
      if (!concernsItem(err)) throw err;
      report.failed.push({ userId, eventId, error: err.message });
      continue;
    }
    await deps.store.addFollow(userId, {
      eventId,
      channelPublicId: req.channelPublicId,
      ...(req.linkId ? { linkId: req.linkId } : {}),
      calendarId: req.calendarId ?? 'primary',
      followedAt: deps.now().toISOString(),
    });
    report.followed[userId] = [...(report.followed[userId] ?? []), eventId];
  }
}

export interface UnfollowReport {
  unfollowed: Record<string, string[]>;
  skipped: { userId: string; reason: string }[];
  failed: { userId: string; eventId: string; error: string }[];
}

/** Removes the events from the users' calendars; an event already gone counts as unfollowed. */
export async function unfollowEvents(
  deps: FollowDeps,
  req: { eventIds: readonly string[]; userIds: readonly string[] },
): Promise<UnfollowReport> {
  const report: UnfollowReport = { unfollowed: {}, skipped: [], failed: [] };
  for (const userId of req.userIds) {
    const done: string[] = [];
    for (const eventId of req.eventIds) {
      await deps.quota.acquire(userId, 'write', 1);
      try {
        await deps.followers.unfollow(userId, eventId);
      } catch (err) {
        if (err instanceof KakaoNotFoundError) {
          done.push(eventId);
          continue;
        }
        if (endsUser(err)) {
          report.skipped.push({ userId, reason: err.message });
          break;
        }
        if (!concernsItem(err)) throw err;
        report.failed.push({ userId, eventId, error: err.message });
        continue;
      }
      done.push(eventId);
    }
    await deps.store.removeFollows(userId, done);
    if (done.length > 0) report.unfollowed[userId] = done;
  }
  return report;
}

/**
 * The link's followers option: every public event the link maps is followed for each configured
 * user, once. Nothing to follow costs nothing (no relationship check, no call). Follow records of
 * events the link no longer has are dropped (deleting a public event removes it from followers).
 */
export async function followLinkEvents(
  deps: FollowDeps,
  link: { id: string; target: ChannelTarget },
  mapped: ReadonlySet<string>,
): Promise<FollowReport | undefined> {
  const followers = link.target.followers ?? [];
  if (followers.length === 0) return undefined;
  const waiting: string[] = [];
  for (const userId of followers) {
    const records = (await deps.store.followsOf(userId)).filter((f) => f.linkId === link.id);
    const gone = records.filter((f) => !mapped.has(f.eventId)).map((f) => f.eventId);
    await deps.store.removeFollows(userId, gone);
    const followed = new Set(records.map((f) => f.eventId));
    if ([...mapped].some((id) => !followed.has(id))) waiting.push(userId);
  }
  if (waiting.length === 0) return undefined;
  return followEvents(deps, {
    channelPublicId: link.target.channelPublicId,
    eventIds: [...mapped].sort(),
    userIds: waiting,
    linkId: link.id,
    freshCheck: false,
  });
}
