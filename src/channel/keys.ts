// Redis keys of follows and Talk Channel relationships. Like every per-user key they carry the
// `{userId}` hash tag (a follower's, or the channel pseudo-user's), so each lives in its user's slot.

export interface ChannelKeys {
  /** Hash: public event id → FollowRecord JSON, of one follower. */
  follows(userId: string): string;
  /** Hash: user id → RelationRecord JSON, of one channel (its pseudo-user id). */
  relations(channelUserId: string): string;
  /** String: JSON of the channel's last follow report. */
  lastFollowReport(channelUserId: string): string;
}

export function channelKeys(prefix: string): ChannelKeys {
  const u = (userId: string) => `${prefix}:user:{${userId}}`;
  return {
    follows: (userId) => `${u(userId)}:follows`,
    relations: (channelUserId) => `${u(channelUserId)}:channel-relations`,
    lastFollowReport: (channelUserId) => `${u(channelUserId)}:follow-report`,
  };
}
