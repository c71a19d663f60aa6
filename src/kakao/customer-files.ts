import { bad, isObject, type KakaoCaller } from './caller.js';
import {
  type CustomerFieldType,
  type CustomerFileAddResult,
  type CustomerFileList,
  type CustomerFileUser,
  type CustomerUserType,
  channelLimits,
} from './channel-types.js';
import { KakaoArgumentError } from './errors.js';
import type { ValidationIssue } from './validate.js';
import { validateCustomerFileCreate, validateCustomerUserIds } from './validate-channel.js';

// Talk Channel customer files (REST API key, JSON bodies): create, view, add users and delete
// users, the last two in batches of the documented 2,000. Checked here before anything is sent.

const base = '/v1/talkchannel';

function refuse(endpoint: string, issues: ValidationIssue[]): void {
  if (issues.length === 0) return;
  const what = issues.map((i) => `${i.field} ${i.message}`).join('; ');
  throw new KakaoArgumentError({ status: 0, endpoint }, `${endpoint}: ${what}`);
}

export async function createCustomerFile(
  rest: KakaoCaller,
  input: { channelPublicId: string; fileName: string; schema: Record<string, CustomerFieldType> },
): Promise<number> {
  const endpoint = 'customerFile.create';
  refuse(endpoint, validateCustomerFileCreate(input.fileName, input.schema));
  const body = await rest.call<unknown>({
    endpoint,
    method: 'POST',
    path: `${base}/create/target_user_file`,
    params: { channel_public_id: input.channelPublicId, file_name: input.fileName, schema: input.schema },
    jsonBody: true,
    unsafeToRepeat: true,
    outsideCalendarQuota: true,
  });
  const id = isObject(body) ? body['file_id'] : undefined;
  if (typeof id !== 'number' || !Number.isInteger(id)) throw bad(endpoint, 'no file_id');
  return id;
}

export async function listCustomerFiles(
  rest: KakaoCaller,
  channelPublicId: string,
): Promise<CustomerFileList> {
  const endpoint = 'customerFile.view';
  const body = await rest.call<unknown>({
    endpoint,
    method: 'GET',
    path: `${base}/target_user_file`,
    params: { channel_public_id: channelPublicId },
    outsideCalendarQuota: true,
  });
  if (!isObject(body) || !Array.isArray(body['results'])) throw bad(endpoint, 'no results array');
  for (const f of body['results'] as unknown[]) {
    if (!isObject(f) || typeof f['file_id'] !== 'number') throw bad(endpoint, 'a file without file_id');
  }
  return body as unknown as CustomerFileList;
}

/** Adds users in batches of 2,000; the counts are summed over the batches. */
export async function addCustomerUsers(
  rest: KakaoCaller,
  input: { channelPublicId: string; fileId: number; userType: CustomerUserType; users: CustomerFileUser[] },
): Promise<CustomerFileAddResult> {
  const endpoint = 'customerFile.addUsers';
  if (input.users.some((u) => typeof u.id !== 'string' || u.id === '')) {
    refuse(endpoint, [{ field: 'users', message: 'every user needs a non-empty id' }]);
  }
  const total: CustomerFileAddResult = { file_id: input.fileId, request_count: 0, success_count: 0 };
  for (let i = 0; i < input.users.length; i += channelLimits.customerFileUsersMax) {
    const body = await rest.call<unknown>({
      endpoint,
      method: 'POST',
      path: `${base}/update/target_users`,
      params: {
        file_id: input.fileId,
        channel_public_id: input.channelPublicId,
        user_type: input.userType,
        users: input.users.slice(i, i + channelLimits.customerFileUsersMax),
      },
      jsonBody: true,
      outsideCalendarQuota: true,
    });
    if (
      !isObject(body) ||
      typeof body['request_count'] !== 'number' ||
      typeof body['success_count'] !== 'number'
    ) {
      throw bad(endpoint, 'no request_count and success_count');
    }
    total.request_count += body['request_count'];
    total.success_count += body['success_count'];
  }
  return total;
}

/** Deletes users in batches of 2,000 (Kakao answers 200 with no body). */
export async function deleteCustomerUsers(
  rest: KakaoCaller,
  input: { channelPublicId: string; fileId: number; userType: CustomerUserType; userIds: string[] },
): Promise<void> {
  const endpoint = 'customerFile.deleteUsers';
  for (let i = 0; i < input.userIds.length; i += channelLimits.customerFileUsersMax) {
    const batch = input.userIds.slice(i, i + channelLimits.customerFileUsersMax);
    refuse(endpoint, validateCustomerUserIds(input.userType, batch));
    await rest.call<unknown>({
      endpoint,
      method: 'POST',
      path: `${base}/delete/target_users`,
      params: {
        file_id: input.fileId,
        channel_public_id: input.channelPublicId,
        user_type: input.userType,
        user_ids: batch,
      },
      jsonBody: true,
      outsideCalendarQuota: true,
    });
  }
}
