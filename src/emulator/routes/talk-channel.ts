// The Kakao Talk Channel API (talk-channel-rest-api.txt): relationship checks with a user's token or
// the admin key, and customer files with the REST API key. Outside the Talk Calendar daily pool.
import type { FastifyInstance } from 'fastify';
import { type CustomerFieldType, channelLimits } from '../../kakao/channel-types.js';
import {
  validateCustomerFileCreate,
  validateCustomerUserIds,
  validateCustomerUsers,
} from '../../kakao/validate-channel.js';
import {
  channelsOf,
  checkFixedParam,
  createCustomerFile,
  customerFile,
  customerOf,
  fileInfo,
  relationsFor,
  resolveChannel,
  userIdWire,
} from '../channels.js';
import { invalidParam, KakaoApiFailure, notFound } from '../errors.js';
import type { EmulatorUser } from '../state.js';
import {
  adminKeyRoute,
  type EmulatorContext,
  emptyAnswer,
  rejectIssues,
  requireParam,
  requireScope,
  restKeyRoute,
  userOrAdminRoute,
} from './kit.js';

/** The consent item "Kakao Talk Channel addition status and details". */
export const channelScope = 'plusfriends';

const notTalkUser = () => new KakaoApiFailure(400, -501, 'given account is not connected to any talk user.');

/** A body field that may come as JSON (a JSON body) or as a JSON string (a form field). */
function jsonValue(body: Record<string, unknown>, name: string): unknown {
  const value = body[name];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value === '') throw invalidParam(`${name} is required`);
  return value;
}

export function registerTalkChannelRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const { state } = ctx;
  const relationsBase = '/v2/api/talk/channels';
  const filesBase = '/v1/talkchannel';

  userOrAdminRoute(
    app,
    ctx,
    { method: 'GET', url: relationsBase, endpoint: 'channel.relation', quota: false },
    ({ user: tokenUser, params }) => {
      let user: EmulatorUser | undefined = tokenUser;
      if (!user) {
        checkFixedParam(params, 'target_id_type', 'user_id', true);
        const id = requireParam(params, 'target_id');
        user = state.users.get(id);
        if (!user) throw notFound('user', id);
      }
      checkFixedParam(params, 'channel_id_type', 'channel_public_id', false);
      const channels = channelsOf(state, params.channel_ids, true);
      requireScope(user, channelScope);
      if (!user.talkUser) throw notTalkUser();
      return { user_id: userIdWire(user.id), channels: relationsFor(user, channels) };
    },
  );

  adminKeyRoute(
    app,
    ctx,
    { method: 'GET', url: `${relationsBase}/multi`, endpoint: 'channel.relationMulti', quota: false },
    ({ params }) => {
      checkFixedParam(params, 'target_id_type', 'user_id', true);
      checkFixedParam(params, 'channel_id_type', 'channel_public_id', false);
      const ids = [
        ...new Set(
          requireParam(params, 'target_ids')
            .split(',')
            .map((s) => s.trim()),
        ),
      ];
      if (ids.some((id) => id === '')) throw invalidParam('target_ids must not hold an empty id');
      if (ids.length > channelLimits.relationUsersMax) {
        throw invalidParam(`target_ids must hold at most ${channelLimits.relationUsersMax} users`);
      }
      const channels = channelsOf(state, params.channel_ids, false);
      // Users that cannot be checked (unknown, no consent, not on Kakao Talk) are left out.
      return ids.flatMap((id) => {
        const user = state.users.get(id);
        if (!user?.talkUser || !user.scopes.has(channelScope)) return [];
        return [{ user_id: userIdWire(user.id), channels: relationsFor(user, channels) }];
      });
    },
  );

  restKeyRoute(
    app,
    ctx,
    {
      method: 'POST',
      url: `${filesBase}/create/target_user_file`,
      endpoint: 'customerFile.create',
      quota: false,
    },
    ({ body, now }) => {
      const channel = resolveChannel(state, stringField(body, 'channel_public_id'));
      const schema = jsonValue(body, 'schema');
      rejectIssues(validateCustomerFileCreate(body['file_name'], schema));
      const file = createCustomerFile(
        channel,
        String(body['file_name']),
        schema as Record<string, CustomerFieldType>,
        now,
      );
      return { file_id: file.id };
    },
  );

  restKeyRoute(
    app,
    ctx,
    { method: 'GET', url: `${filesBase}/target_user_file`, endpoint: 'customerFile.view', quota: false },
    ({ params }) => {
      const channel = resolveChannel(state, requireParam(params, 'channel_public_id'));
      const results = [...channel.files.values()].map(fileInfo);
      return {
        results,
        empty_slot: channelLimits.customerFileSlots - results.length,
        using_slot: results.length,
      };
    },
  );

  restKeyRoute(
    app,
    ctx,
    {
      method: 'POST',
      url: `${filesBase}/update/target_users`,
      endpoint: 'customerFile.addUsers',
      quota: false,
    },
    ({ body, now }) => {
      const channel = resolveChannel(state, stringField(body, 'channel_public_id'));
      const file = customerFile(channel, jsonValue(body, 'file_id'));
      const users = jsonValue(body, 'users');
      const userType = body['user_type'];
      rejectIssues(validateCustomerUsers(userType, users, file.schema));
      let added = 0;
      for (const u of users as { id: string; field: Record<string, string | number> }[]) {
        if (!customerOf(state, channel, userType as 'app' | 'phone', u.id)) continue;
        file.users.set(`${String(userType)}:${u.id}`, u.field);
        added++;
      }
      file.updatedAt = now;
      return { file_id: file.id, request_count: (users as unknown[]).length, success_count: added };
    },
  );

  restKeyRoute(
    app,
    ctx,
    {
      method: 'POST',
      url: `${filesBase}/delete/target_users`,
      endpoint: 'customerFile.deleteUsers',
      quota: false,
    },
    ({ body, now }) => {
      const channel = resolveChannel(state, stringField(body, 'channel_public_id'));
      const file = customerFile(channel, jsonValue(body, 'file_id'));
      const ids = jsonValue(body, 'user_ids');
      const userType = body['user_type'];
      rejectIssues(validateCustomerUserIds(userType, ids));
      for (const id of ids as string[]) file.users.delete(`${String(userType)}:${id}`);
      file.updatedAt = now;
      return emptyAnswer;
    },
  );
}
