import type { KakaoChannelClient } from '../kakao/client.js';
import type { ChannelTarget } from '../model/channel-target.js';
import type { AudienceReport, AudienceStore } from './audience-store.js';
import type { FollowStore } from './follow-store.js';

// The audience option of a channel link: a Talk Channel customer file holding exactly the users
// who follow the link's public events, so the operator can reach them. Additions and removals go
// in batches of 2,000 (the client batches); nothing changed costs no call.

/** Customer files need a schema; the date a user first followed the link's events fills it. */
export const audienceSchema = { 가입일: 'string' } as const;

export type CustomerFileApi = Pick<
  KakaoChannelClient,
  'listCustomerFiles' | 'createCustomerFile' | 'addCustomerUsers' | 'deleteCustomerUsers'
>;

export interface AudienceDeps {
  api: CustomerFileApi;
  audiences: AudienceStore;
  follows: FollowStore;
  now: () => Date;
}

/** The users following at least one event of the link, with the day they first followed one. */
async function followersOf(
  follows: FollowStore,
  linkId: string,
  candidates: Iterable<string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const userId of candidates) {
    const mine = (await follows.followsOf(userId)).filter((f) => f.linkId === linkId);
    if (mine.length > 0) out.set(userId, mine[0]!.followedAt.slice(0, 10));
  }
  return out;
}

/** The file of this name, found among the channel's files or created. */
async function fileFor(deps: AudienceDeps, channelPublicId: string, linkId: string, fileName: string) {
  const known = await deps.audiences.fileId(channelPublicId, linkId);
  if (known !== undefined) return known;
  const files = await deps.api.listCustomerFiles(channelPublicId);
  const found = files.results.find((f) => f.file_name === fileName)?.file_id;
  const fileId =
    found ??
    (await deps.api.createCustomerFile({ channelPublicId, fileName, schema: { ...audienceSchema } }));
  await deps.audiences.setFileId(channelPublicId, linkId, fileId);
  return fileId;
}

export async function syncAudience(
  deps: AudienceDeps,
  link: { id: string; target: ChannelTarget },
): Promise<AudienceReport | undefined> {
  const { audience, channelPublicId } = link.target;
  if (!audience) return undefined;
  const members = await deps.audiences.members(channelPublicId, link.id);
  const wanted = await followersOf(
    deps.follows,
    link.id,
    new Set([...(link.target.followers ?? []), ...members]),
  );
  const add = [...wanted.keys()].filter((id) => !members.has(id)).sort();
  const remove = [...members].filter((id) => !wanted.has(id)).sort();
  const report: AudienceReport = { at: deps.now().toISOString(), added: 0, accepted: 0, removed: 0 };
  if (add.length === 0 && remove.length === 0) return undefined;
  const fileId = await fileFor(deps, channelPublicId, link.id, audience.fileName);
  report.fileId = fileId;
  if (add.length > 0) {
    const users = add.map((id) => ({ id, field: { 가입일: wanted.get(id) ?? '' } }));
    const result = await deps.api.addCustomerUsers({ channelPublicId, fileId, userType: 'app', users });
    report.added = result.request_count;
    report.accepted = result.success_count;
  }
  if (remove.length > 0) {
    await deps.api.deleteCustomerUsers({ channelPublicId, fileId, userType: 'app', userIds: remove });
    report.removed = remove.length;
  }
  await deps.audiences.changeMembers(channelPublicId, link.id, add, remove);
  await deps.audiences.saveReport(channelPublicId, link.id, report);
  return report;
}
