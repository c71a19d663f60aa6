import { bad, isObject, type KakaoCaller } from './caller.js';
import { type ChannelRelation, type ChannelRelationResult, channelLimits } from './channel-types.js';
import { KakaoArgumentError } from './errors.js';

// Talk Channel relationship checks (talk-channel-rest-api.txt): one user with their access token or
// the admin key, many users with the admin key in batches of the documented 200. Talk Channel calls
// do not draw on the Talk Calendar daily quota.

const path = '/v2/api/talk/channels';

function channelIdsParam(endpoint: string, channelIds: readonly string[]): string {
  if (channelIds.length === 0 || channelIds.some((id) => id === '' || id.includes(','))) {
    throw new KakaoArgumentError(
      { status: 0, endpoint },
      `${endpoint}: channel ids must be non-empty, without commas`,
    );
  }
  return [...new Set(channelIds)].join(',');
}

/** "Check Kakao Talk Channel relationship" with the user's access token. */
export async function checkOwnRelations(
  user: KakaoCaller,
  channelIds: readonly string[],
): Promise<ChannelRelationResult> {
  const body = await user.call<unknown>({
    endpoint: 'channel.relation',
    method: 'GET',
    path,
    params: { channel_ids: channelIdsParam('channel.relation', channelIds) },
    outsideCalendarQuota: true,
  });
  return checkResult(body, 'channel.relation');
}

/** "Check Kakao Talk Channel relationship" of one service user, with the admin key. */
export async function checkUserRelations(
  admin: KakaoCaller,
  input: { userId: string; channelIds: readonly string[] },
): Promise<ChannelRelationResult> {
  const body = await admin.call<unknown>({
    endpoint: 'channel.relation',
    method: 'GET',
    path,
    params: {
      target_id_type: 'user_id',
      target_id: input.userId,
      channel_ids: channelIdsParam('channel.relation', input.channelIds),
    },
    outsideCalendarQuota: true,
  });
  return checkResult(body, 'channel.relation');
}

/**
 * "Check multiple users' Kakao Talk Channel relationship": any number of users, asked in batches of
 * 200. Users Kakao could not check are absent from the answer (the caller reports them).
 */
export async function checkRelationsOfUsers(
  admin: KakaoCaller,
  input: { userIds: readonly string[]; channelIds?: readonly string[] },
): Promise<ChannelRelationResult[]> {
  const endpoint = 'channel.relationMulti';
  const ids = [...new Set(input.userIds)];
  if (ids.some((id) => id === '' || id.includes(','))) {
    throw new KakaoArgumentError(
      { status: 0, endpoint },
      `${endpoint}: user ids must be non-empty, without commas`,
    );
  }
  const channelIds = input.channelIds ? channelIdsParam(endpoint, input.channelIds) : undefined;
  const out: ChannelRelationResult[] = [];
  for (let i = 0; i < ids.length; i += channelLimits.relationUsersMax) {
    const batch = ids.slice(i, i + channelLimits.relationUsersMax);
    const body = await admin.call<unknown>({
      endpoint,
      method: 'GET',
      path: `${path}/multi`,
      params: { target_id_type: 'user_id', target_ids: batch.join(','), channel_ids: channelIds },
      outsideCalendarQuota: true,
    });
    if (!Array.isArray(body)) throw bad(endpoint, 'not an array of users');
    for (const entry of body) out.push(checkResult(entry, endpoint));
  }
  return out;
}

const relationKinds = new Set(['ADDED', 'BLOCKED', 'NONE']);

function checkResult(body: unknown, endpoint: string): ChannelRelationResult {
  if (!isObject(body)) throw bad(endpoint, 'not an object');
  const userId = body['user_id'];
  if (typeof userId !== 'number' && typeof userId !== 'string') throw bad(endpoint, 'no user_id');
  const channels = body['channels'];
  if (channels !== undefined && !Array.isArray(channels)) throw bad(endpoint, 'channels is not an array');
  for (const c of (channels ?? []) as unknown[]) {
    if (
      !isObject(c) ||
      typeof c['channel_public_id'] !== 'string' ||
      !relationKinds.has(c['relation'] as string)
    ) {
      throw bad(endpoint, 'a channel without channel_public_id or a known relation');
    }
  }
  return { user_id: userId, ...(channels ? { channels: channels as ChannelRelation[] } : {}) };
}
