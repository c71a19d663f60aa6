// Talk Channels connected to the emulated app: which channel a request means, users'
// relationships with channels, and customer files. No I/O; the routes are routes/talk-channel.ts.
import type { ChannelRelation, CustomerFileInfo } from '../kakao/channel-types.js';
import { channelLimits } from '../kakao/channel-types.js';
import { invalidParam, notFound } from './errors.js';
import type { CustomerFile, EmulatorChannel } from './model.js';
import type { EmulatorState, EmulatorUser } from './state.js';
import { formatKakao } from './time.js';

/**
 * The channel a request names; without `channel_public_id` the only connected channel, as
 * documented ("automatically set" when the app has one), else -2.
 */
export function resolveChannel(state: EmulatorState, given: string | undefined): EmulatorChannel {
  if (given === undefined || given === '') {
    if (state.channels.size === 1) return [...state.channels.values()][0]!;
    throw invalidParam('channel_public_id is required: the app is connected to several Kakao Talk Channels');
  }
  const channel = state.channels.get(given);
  if (!channel)
    throw invalidParam(`channel_public_id ${given} is not a Kakao Talk Channel connected to this app`);
  return channel;
}

/** A comma-separated channel_ids list, each a connected channel; absent = every connected one. */
export function channelsOf(
  state: EmulatorState,
  raw: string | undefined,
  required: boolean,
): EmulatorChannel[] {
  if (raw === undefined || raw.trim() === '') {
    if (required) throw invalidParam('channel_ids is required');
    return [...state.channels.values()];
  }
  const ids = [...new Set(raw.split(',').map((s) => s.trim()))];
  if (ids.some((id) => id === '')) throw invalidParam('channel_ids must not hold an empty id');
  return ids.map((id) => resolveChannel(state, id));
}

/** channel_id_type and target_id_type accept only their one documented value. */
export function checkFixedParam(
  params: Record<string, string>,
  name: string,
  value: string,
  required: boolean,
) {
  const given = params[name];
  if (given === undefined || given === '') {
    if (required) throw invalidParam(`${name} is required (${value})`);
    return;
  }
  if (given !== value) throw invalidParam(`${name} must be ${value}`);
}

/** The relationship of one user with each channel, in the documented shape. */
export function relationsFor(user: EmulatorUser, channels: EmulatorChannel[]): ChannelRelation[] {
  return channels.map((channel) => {
    const r = channel.relations.get(user.id);
    const base = { channel_uuid: channel.uuid, channel_public_id: channel.publicId };
    if (!r) return { ...base, relation: 'NONE' };
    return {
      ...base,
      relation: r.relation,
      ...(r.relation === 'ADDED' && r.addedAt ? { created_at: formatKakao(r.addedAt) } : {}),
      updated_at: formatKakao(r.updatedAt),
    };
  });
}

/** Kakao's user_id is a Long: numeric ids are answered as numbers. */
export function userIdWire(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

let fileSeq = 436;

export function createCustomerFile(
  channel: EmulatorChannel,
  name: string,
  schema: CustomerFile['schema'],
  now: Date,
): CustomerFile {
  if (channel.files.size >= channelLimits.customerFileSlots) {
    throw invalidParam(`no empty customer file slot: a channel has ${channelLimits.customerFileSlots}`);
  }
  const file: CustomerFile = { id: ++fileSeq, name, schema, updatedAt: now, users: new Map() };
  channel.files.set(file.id, file);
  return file;
}

export function customerFile(channel: EmulatorChannel, rawId: unknown): CustomerFile {
  const id = typeof rawId === 'number' ? rawId : Number(rawId);
  if (!Number.isInteger(id)) throw invalidParam('file_id must be an integer');
  const file = channel.files.get(id);
  if (!file) throw notFound('customer file', String(id));
  return file;
}

export function fileInfo(file: CustomerFile): CustomerFileInfo {
  const stamp = formatKakao(file.updatedAt).replace('T', ' ').replace('Z', '');
  return {
    file_id: file.id,
    file_name: file.name,
    status: 'USING',
    update_at: stamp,
    schema: JSON.stringify(file.schema),
  };
}

/**
 * The emulator user a customer-file id names: a service user id (`app`) or the number registered
 * in Kakao Talk (`phone`). Only users who added the channel can be in its files (documented).
 */
export function customerOf(
  state: EmulatorState,
  channel: EmulatorChannel,
  userType: 'app' | 'phone',
  id: string,
): EmulatorUser | undefined {
  const user =
    userType === 'app'
      ? state.users.get(id)
      : [...state.users.values()].find((u) => u.phone !== undefined && u.phone === id);
  if (!user?.talkUser) return undefined;
  return channel.relations.get(user.id)?.relation === 'ADDED' ? user : undefined;
}
