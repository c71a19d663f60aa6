import { beforeAll, describe, expect, it } from 'vitest';
import type { KakaoClient } from '../../../src/kakao/client.js';
import {
  KakaoAppKeyError,
  KakaoAppKeyMissingError,
  KakaoArgumentError,
  KakaoNotFoundError,
  KakaoNotTalkUserError,
  KakaoScopeError,
} from '../../../src/kakao/errors.js';
import { admin, clearLog, clientFor, createUser, future, iso, requestLog, useEmulator } from './harness.js';

// The typed Talk Channel client against the emulator over real HTTP: relationship checks (user
// token, admin key, many users in batches of 200), customer files (REST API key, batches of
// 2,000), typed errors, missing keys refused before any request, and public event buttons.

const env = useEmulator();
const channel = '_Chan01';
let client: KakaoClient;
let fanId: string;
let blockedId: string;

beforeAll(async () => {
  ({ client } = clientFor(env.emu));
  await admin(env.emu, 'POST', '/channels', { channelPublicId: channel });
  fanId = (await createUser(env.emu)).userId;
  blockedId = (await createUser(env.emu)).userId;
  await admin(env.emu, 'POST', `/channels/${channel}/relations`, { userId: fanId, relation: 'ADDED' });
  await admin(env.emu, 'POST', `/channels/${channel}/relations`, { userId: blockedId, relation: 'BLOCKED' });
});

describe('relationship checks', () => {
  it('reads one user’s relationship with their token and with the admin key', async () => {
    const u = await createUser(env.emu);
    await admin(env.emu, 'POST', `/channels/${channel}/relations`, { userId: u.userId, relation: 'ADDED' });
    const own = await client.forUser(u.userId, u.store).checkChannelRelations([channel]);
    expect(own.channels?.[0]).toMatchObject({ channel_public_id: channel, relation: 'ADDED' });
    const byAdmin = await client.channel.checkUserRelations({ userId: blockedId, channelIds: [channel] });
    expect(byAdmin).toMatchObject({ user_id: Number(blockedId), channels: [{ relation: 'BLOCKED' }] });
  });

  it('checks 450 users in three requests of at most 200 and leaves out unknown users', async () => {
    const ids = [fanId, blockedId, ...Array.from({ length: 448 }, (_, i) => String(7_000_000_000 + i))];
    await clearLog(env.emu);
    const results = await client.channel.checkRelationsOfUsers({ userIds: ids, channelIds: [channel] });
    expect(results.map((r) => [String(r.user_id), r.channels?.[0]?.relation])).toEqual([
      [fanId, 'ADDED'],
      [blockedId, 'BLOCKED'],
    ]);
    const log = (await requestLog(env.emu)).filter((r) => r.endpoint === 'channel.relationMulti');
    expect(log.map((r) => String(r.query?.['target_ids']).split(',').length)).toEqual([200, 200, 50]);
  });

  it('types -501 and -402, and does not count Talk Channel calls as Talk Calendar calls', async () => {
    const noTalk = await admin<{ userId: string }>(env.emu, 'POST', '/users', { talkUser: false });
    await expect(
      client.channel.checkUserRelations({ userId: noTalk.userId, channelIds: [channel] }),
    ).rejects.toBeInstanceOf(KakaoNotTalkUserError);
    const noConsent = await createUser(env.emu, { scopes: ['talk_calendar'] });
    const error = await client
      .forUser(noConsent.userId, noConsent.store)
      .checkChannelRelations([channel])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KakaoScopeError);
    expect((error as KakaoScopeError).requiredScopes).toEqual(['plusfriends']);
    const { client: counted } = clientFor(env.emu);
    await counted.channel.checkUserRelations({ userId: fanId, channelIds: [channel] });
    expect(counted.stats.totalCalls).toBe(1);
    expect(counted.stats.quotaCalls).toBe(0);
  });

  it('refuses a comma inside a channel id before sending anything', async () => {
    await clearLog(env.emu);
    await expect(
      client.channel.checkUserRelations({ userId: fanId, channelIds: ['_a,_b'] }),
    ).rejects.toBeInstanceOf(KakaoArgumentError);
    expect(await requestLog(env.emu)).toEqual([]);
  });
});

describe('customer files', () => {
  it('creates, views, adds 2,500 users in two requests and deletes them', async () => {
    const fileId = await client.channel.createCustomerFile({
      channelPublicId: channel,
      fileName: 'followers',
      schema: { 연령: 'number' },
    });
    const files = await client.channel.listCustomerFiles(channel);
    expect(files.results.map((f) => f.file_id)).toContain(fileId);
    expect(files.empty_slot + files.using_slot).toBe(30);

    await clearLog(env.emu);
    const users = [
      fanId,
      blockedId,
      ...Array.from({ length: 2498 }, (_, i) => String(8_000_000_000 + i)),
    ].map((id) => ({ id, field: {} }));
    const added = await client.channel.addCustomerUsers({
      channelPublicId: channel,
      fileId,
      userType: 'app',
      users,
    });
    expect(added).toEqual({ file_id: fileId, request_count: 2500, success_count: 1 });
    const adds = (await requestLog(env.emu)).filter((r) => r.endpoint === 'customerFile.addUsers');
    expect(adds).toHaveLength(2);

    await client.channel.deleteCustomerUsers({
      channelPublicId: channel,
      fileId,
      userType: 'app',
      userIds: [fanId],
    });
    const state = await admin<{ files: { file_id: number; users: Record<string, unknown> }[] }>(
      env.emu,
      'GET',
      `/channels/${channel}`,
    );
    expect(state.files.find((f) => f.file_id === fileId)?.users).toEqual({});
  });

  it('refuses a schema Kakao would reject before sending, and maps an unknown file to not found', async () => {
    await clearLog(env.emu);
    await expect(
      client.channel.createCustomerFile({
        channelPublicId: channel,
        fileName: 'x',
        schema: { 등급: 'string' },
      }),
    ).rejects.toThrow(/schema\.등급 a new key takes only number values/);
    expect(await requestLog(env.emu)).toEqual([]);
    await expect(
      client.channel.deleteCustomerUsers({
        channelPublicId: channel,
        fileId: 1,
        userType: 'app',
        userIds: ['1'],
      }),
    ).rejects.toBeInstanceOf(KakaoNotFoundError);
  });

  it('types a wrong REST API key as an app key error', async () => {
    const { client: wrong } = clientFor(env.emu, { restApiKey: 'wrong' });
    await expect(wrong.channel.listCustomerFiles(channel)).rejects.toBeInstanceOf(KakaoAppKeyError);
  });
});

describe('missing keys', () => {
  it('refuses admin-key and REST-key calls without a key, with a one-line error and no request', async () => {
    const { client: keyless } = clientFor(env.emu, { adminKey: '', restApiKey: '' });
    await clearLog(env.emu);
    const error = await keyless.channel
      .checkUserRelations({ userId: fanId, channelIds: [channel] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KakaoAppKeyMissingError);
    expect((error as Error).message).toBe(
      'channel.relation: kakao.adminKey is not configured; set it to call this API',
    );
    await expect(keyless.channel.listCustomerFiles(channel)).rejects.toThrow(
      /kakao\.restApiKey is not configured/,
    );
    await expect(
      keyless.admin.listPublicEvents({ channelPublicId: channel, from: future(1, 0), to: future(2, 0) }),
    ).rejects.toBeInstanceOf(KakaoAppKeyMissingError);
    expect(await requestLog(env.emu)).toEqual([]);
    expect(keyless.stats.totalCalls).toBe(0);
  });
});

describe('public event buttons', () => {
  const start = future(5);
  const event = {
    title: 'Launch',
    time: { start_at: iso(start), end_at: iso(new Date(start.getTime() + 3_600_000)) },
  };

  it('sends documented buttons and refuses an undocumented title before any request', async () => {
    const id = await client.admin.createPublicEvent({
      channelPublicId: channel,
      event: {
        ...event,
        notification_message: {
          before_event_reminder: { button: { title: '예약하기', link: { web_url: 'https://example.com' } } },
        },
      },
    });
    const detail = await client.admin.getPublicEvent({ channelPublicId: channel, eventId: id });
    expect(detail.notification_message?.before_event_reminder?.button?.title).toBe('예약하기');

    await clearLog(env.emu);
    await expect(
      client.admin.updatePublicEvent({
        channelPublicId: channel,
        eventId: id,
        event: {
          notification_message: {
            after_event_reminder: { button: { title: 'Buy', link: { web_url: 'https://example.com' } } },
          },
        },
      }),
    ).rejects.toThrow(
      /public\.update: event\.notification_message\.after_event_reminder\.button\.title must be one of/,
    );
    expect(await requestLog(env.emu)).toEqual([]);
  });
});
