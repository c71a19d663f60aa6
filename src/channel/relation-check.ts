import type { KakaoChannelClient } from '../kakao/client.js';
import { KakaoNotFoundError, KakaoNotTalkUserError, KakaoScopeError } from '../kakao/errors.js';
import { type RelationVerdict, verdictOf } from './relations.js';

// Asks Kakao about users' relationships with one channel: the single-user endpoint for one user
// (its errors name the reason), the multi-user endpoint for several (batched by 200 in the client).

export type RelationApi = Pick<KakaoChannelClient, 'checkUserRelations' | 'checkRelationsOfUsers'>;

export async function checkRelations(
  api: RelationApi,
  channelPublicId: string,
  userIds: readonly string[],
): Promise<Map<string, RelationVerdict>> {
  const out = new Map<string, RelationVerdict>();
  if (userIds.length === 0) return out;
  if (userIds.length === 1) {
    const userId = userIds[0]!;
    out.set(userId, await checkOne(api, channelPublicId, userId));
    return out;
  }
  const results = await api.checkRelationsOfUsers({ userIds, channelIds: [channelPublicId] });
  const byId = new Map(results.map((r) => [String(r.user_id), r]));
  for (const id of userIds) out.set(id, verdictOf(byId.get(id), channelPublicId));
  return out;
}

async function checkOne(api: RelationApi, channelPublicId: string, userId: string): Promise<RelationVerdict> {
  try {
    return verdictOf(
      await api.checkUserRelations({ userId, channelIds: [channelPublicId] }),
      channelPublicId,
    );
  } catch (err) {
    if (err instanceof KakaoScopeError) return 'no-consent';
    if (err instanceof KakaoNotTalkUserError) return 'not-talk-user';
    if (err instanceof KakaoNotFoundError) return 'unchecked';
    throw err;
  }
}
