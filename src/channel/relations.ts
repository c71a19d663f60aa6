import type { ChannelRelationResult } from '../kakao/channel-types.js';

// What a Talk Channel relationship answer means for following: only users who added the channel
// are followed for; everyone else is skipped with the reason (pure).

export type RelationVerdict =
  /** The user added the channel: events may be followed for them. */
  | 'added'
  | 'blocked'
  /** The user never added the channel (or removed it). */
  | 'not-added'
  /** The user has not consented to "Kakao Talk Channel addition status" (plusfriends). */
  | 'no-consent'
  /** The Kakao Account has no Kakao Talk. */
  | 'not-talk-user'
  /** Kakao could not check the user (left out of a multi-user answer). */
  | 'unchecked';

export interface RelationRecord {
  verdict: RelationVerdict;
  checkedAt: string;
}

/** The verdict of one user's answer for one channel. */
export function verdictOf(
  result: ChannelRelationResult | undefined,
  channelPublicId: string,
): RelationVerdict {
  if (!result) return 'unchecked';
  const relation = result.channels?.find((c) => c.channel_public_id === channelPublicId)?.relation;
  if (relation === 'ADDED') return 'added';
  if (relation === 'BLOCKED') return 'blocked';
  return relation === 'NONE' ? 'not-added' : 'unchecked';
}

/** Users whose last check is missing or older than `recheckMs` (all of them with `always`). */
export function dueForCheck(
  userIds: readonly string[],
  known: ReadonlyMap<string, RelationRecord>,
  now: Date,
  recheckMs: number,
  always = false,
): string[] {
  return userIds.filter((id) => {
    const record = known.get(id);
    return always || !record || now.getTime() - Date.parse(record.checkedAt) >= recheckMs;
  });
}
