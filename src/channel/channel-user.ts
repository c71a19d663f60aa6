// A channel link lives under a pseudo-user named after its channel, so the whole per-user machinery
// (registry, schedule, lock, mapping store, backoff, quota share, status) serves channels too. All
// links of one channel share that user: its lock serialises their writes, and each link sees the
// others' public events as taken, never adopting or deleting them.

/** Every channel's pseudo-user id starts with it (Kakao user ids are numbers). */
export const channelUserPrefix = 'channel';

/** `_ZeUTxl` → `channel_ZeUTxl`. */
export function channelUserId(channelPublicId: string): string {
  return `${channelUserPrefix}${channelPublicId}`;
}

/** The channel a pseudo-user id names, or undefined for a person's id. */
export function channelOfUserId(userId: string): string | undefined {
  return isChannelUserId(userId) ? userId.slice(channelUserPrefix.length) : undefined;
}

export function isChannelUserId(userId: string): boolean {
  return userId.startsWith(`${channelUserPrefix}_`);
}
