import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/server.js';
import { api, timed, useEmulator, V2 } from './helpers.js';

// The Talk Channel API of the emulator over raw HTTP: relationship checks (token and admin key),
// customer files (REST API key, JSON bodies), their documented limits and error codes, and the
// notification buttons of public events.

const env = useEmulator({ now: () => new Date('2024-03-01T00:00:00Z') });
const channel = '_ZeUTxl';
let adminKey: ReturnType<typeof api>;
let restKey: ReturnType<typeof api>;
let fan: { userId: string; token: string };
let blocker: { userId: string; token: string };
let stranger: { userId: string; token: string };

async function adminPost(emu: RunningEmulator, path: string, body: unknown) {
  const res = await fetch(`${emu.url}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function jsonPost(path: string, body: unknown, key = 'emulator-rest-api-key') {
  const res = await fetch(`${env.emu.url}${path}`, {
    method: 'POST',
    headers: { authorization: `KakaoAK ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

function newUser(input: Record<string, unknown> = {}) {
  const made = env.emu.admin.createUser(input);
  return { userId: made.userId, token: made.accessToken };
}

beforeAll(async () => {
  adminKey = api(env.emu, 'KakaoAK emulator-admin-key');
  restKey = api(env.emu, 'KakaoAK emulator-rest-api-key');
  await adminPost(env.emu, '/channels', { channelPublicId: channel, uuid: '@테스트' });
  fan = newUser({ phone: '+82 10-1234-5678' });
  blocker = newUser();
  stranger = newUser();
  await adminPost(env.emu, `/channels/${channel}/relations`, { userId: fan.userId, relation: 'ADDED' });
  await adminPost(env.emu, `/channels/${channel}/relations`, { userId: blocker.userId, relation: 'BLOCKED' });
});

describe('relationship check (one user)', () => {
  it('answers the user’s own relationship with their token', async () => {
    const r = await api(env.emu, fan.token).get('/v2/api/talk/channels', {
      channel_ids: `${channel},_emulator`,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      user_id: Number(fan.userId),
      channels: [
        {
          channel_uuid: '@테스트',
          channel_public_id: channel,
          relation: 'ADDED',
          created_at: '2024-03-01T00:00:00Z',
          updated_at: '2024-03-01T00:00:00Z',
        },
        { channel_uuid: '@emulator', channel_public_id: '_emulator', relation: 'NONE' },
      ],
    });
  });

  it('answers any user’s relationship with the admin key; BLOCKED has no created_at', async () => {
    const r = await adminKey.get('/v2/api/talk/channels', {
      target_id_type: 'user_id',
      target_id: blocker.userId,
      channel_ids: channel,
    });
    expect(r.status).toBe(200);
    const [c] = r.body.channels as Record<string, unknown>[];
    expect(c).toMatchObject({ relation: 'BLOCKED', updated_at: '2024-03-01T00:00:00Z' });
    expect(c).not.toHaveProperty('created_at');
  });

  it.each([
    ['no channel_ids', {}],
    ['an unconnected channel', { channel_ids: '_nope' }],
    ['a wrong channel_id_type', { channel_ids: channel, channel_id_type: 'channel_uuid' }],
  ])('rejects %s with 400 / -2', async (_name, query) => {
    const r = await api(env.emu, fan.token).get('/v2/api/talk/channels', query as Record<string, string>);
    expect(r).toMatchObject({ status: 400, body: { code: -2 } });
  });

  it('needs target_id_type=user_id with the admin key', async () => {
    const r = await adminKey.get('/v2/api/talk/channels', { target_id: fan.userId, channel_ids: channel });
    expect(r).toMatchObject({ status: 400, body: { code: -2 } });
  });

  it('answers -501 for an account without Kakao Talk and -402 without the consent', async () => {
    const noTalk = newUser({ talkUser: false });
    const r = await adminKey.get('/v2/api/talk/channels', {
      target_id_type: 'user_id',
      target_id: noTalk.userId,
      channel_ids: channel,
    });
    expect(r).toMatchObject({ status: 400, body: { code: -501 } });
    const noConsent = newUser({ scopes: ['talk_calendar'] });
    const s = await api(env.emu, noConsent.token).get('/v2/api/talk/channels', { channel_ids: channel });
    expect(s).toMatchObject({ status: 403, body: { code: -402, required_scopes: ['plusfriends'] } });
  });

  it('answers -401 for a wrong admin key and does not count Talk Channel calls in the quota', async () => {
    const before = env.emu.admin.quota().used;
    env.emu.admin.setQuota({ enabled: true });
    try {
      const r = await api(env.emu, 'KakaoAK wrong').get('/v2/api/talk/channels', {
        target_id_type: 'user_id',
        target_id: fan.userId,
        channel_ids: channel,
      });
      expect(r).toMatchObject({ status: 401, body: { code: -401 } });
      await api(env.emu, fan.token).get('/v2/api/talk/channels', { channel_ids: channel });
      expect(env.emu.admin.quota().used).toBe(before);
    } finally {
      env.emu.admin.setQuota({ enabled: false });
    }
  });
});

describe('relationship check (many users)', () => {
  it('answers every checkable user and leaves out the others', async () => {
    const noTalk = newUser({ talkUser: false });
    const r = await fetch(
      `${env.emu.url}/v2/api/talk/channels/multi?${new URLSearchParams({
        target_id_type: 'user_id',
        target_ids: [fan.userId, blocker.userId, stranger.userId, noTalk.userId, '999'].join(','),
        channel_ids: channel,
      })}`,
      { headers: { authorization: 'KakaoAK emulator-admin-key' } },
    );
    const body = (await r.json()) as { user_id: number; channels: { relation: string }[] }[];
    expect(body.map((u) => [u.user_id, u.channels[0]?.relation])).toEqual([
      [Number(fan.userId), 'ADDED'],
      [Number(blocker.userId), 'BLOCKED'],
      [Number(stranger.userId), 'NONE'],
    ]);
  });

  it('defaults channel_ids to every connected channel', async () => {
    const r = await fetch(
      `${env.emu.url}/v2/api/talk/channels/multi?target_id_type=user_id&target_ids=${fan.userId}`,
      { headers: { authorization: 'KakaoAK emulator-admin-key' } },
    );
    const [only] = (await r.json()) as { channels: { channel_public_id: string }[] }[];
    expect(only?.channels.map((c) => c.channel_public_id).sort()).toEqual(['_ZeUTxl', '_emulator']);
  });

  it('rejects more than 200 users, a user token and a missing target_id_type', async () => {
    const ids = Array.from({ length: 201 }, (_, i) => String(5_000_000_000 + i)).join(',');
    expect(
      await adminKey.get('/v2/api/talk/channels/multi', { target_id_type: 'user_id', target_ids: ids }),
    ).toMatchObject({ status: 400, body: { code: -2 } });
    expect(
      await api(env.emu, fan.token).get('/v2/api/talk/channels/multi', {
        target_id_type: 'user_id',
        target_ids: fan.userId,
      }),
    ).toMatchObject({ status: 401, body: { code: -401 } });
    expect(await adminKey.get('/v2/api/talk/channels/multi', { target_ids: fan.userId })).toMatchObject({
      status: 400,
      body: { code: -2 },
    });
  });
});

describe('customer files', () => {
  let fileId: number;

  it('creates a file (JSON body, REST API key) and views it with its slots', async () => {
    const r = await jsonPost('/v1/talkchannel/create/target_user_file', {
      channel_public_id: channel,
      file_name: 'calendar followers',
      schema: { 생년월일: 'string', 연령: 'number', 방문횟수: 'number' },
    });
    expect(r.status).toBe(200);
    fileId = r.body.file_id as number;
    expect(Number.isInteger(fileId)).toBe(true);
    const view = await restKey.get('/v1/talkchannel/target_user_file', { channel_public_id: channel });
    expect(view.body).toMatchObject({ empty_slot: 29, using_slot: 1 });
    expect((view.body.results as Record<string, unknown>[])[0]).toMatchObject({
      file_id: fileId,
      file_name: 'calendar followers',
      status: 'USING',
      update_at: '2024-03-01 00:00:00',
    });
  });

  it.each([
    ['an empty schema', { file_name: 'f', schema: {} }],
    ['a reserved key', { file_name: 'f', schema: { 전화번호: 'number' } }],
    ['a new key of type string', { file_name: 'f', schema: { 등급: 'string' } }],
    ['an unknown value type', { file_name: 'f', schema: { 연령: 'integer' } }],
    [
      '31 schema items',
      {
        file_name: 'f',
        schema: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'number'])),
      },
    ],
    ['no file name', { schema: { 연령: 'number' } }],
  ])('rejects %s with 400 / -2', async (_name, body) => {
    const r = await jsonPost('/v1/talkchannel/create/target_user_file', {
      channel_public_id: channel,
      ...body,
    });
    expect(r).toMatchObject({ status: 400, body: { code: -2 } });
  });

  it('needs the REST API key (the admin key is refused with -401)', async () => {
    const r = await jsonPost(
      '/v1/talkchannel/create/target_user_file',
      { channel_public_id: channel, file_name: 'x', schema: { 연령: 'number' } },
      'emulator-admin-key',
    );
    expect(r).toMatchObject({ status: 401, body: { code: -401 } });
  });

  it('adds only users who added the channel, by app id or phone, and deletes them', async () => {
    const add = await jsonPost('/v1/talkchannel/update/target_users', {
      file_id: fileId,
      channel_public_id: channel,
      user_type: 'app',
      users: [
        { id: fan.userId, field: { 연령: 30 } },
        { id: blocker.userId, field: {} },
        { id: stranger.userId, field: {} },
      ],
    });
    expect(add.body).toEqual({ file_id: fileId, request_count: 3, success_count: 1 });
    const byPhone = await jsonPost('/v1/talkchannel/update/target_users', {
      file_id: fileId,
      channel_public_id: channel,
      user_type: 'phone',
      users: [{ id: '+82 10-1234-5678', field: {} }],
    });
    expect(byPhone.body).toMatchObject({ success_count: 1 });
    const state = (await (await fetch(`${env.emu.url}/_emulator/channels/${channel}`)).json()) as {
      files: { file_id: number; users: Record<string, unknown> }[];
    };
    expect(Object.keys(state.files.find((f) => f.file_id === fileId)!.users).sort()).toEqual([
      `app:${fan.userId}`,
      'phone:+82 10-1234-5678',
    ]);

    const del = await jsonPost('/v1/talkchannel/delete/target_users', {
      file_id: fileId,
      channel_public_id: channel,
      user_type: 'app',
      user_ids: [fan.userId],
    });
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
  });

  it.each([
    [
      'more than 2,000 users',
      () => ({
        user_type: 'app',
        users: Array.from({ length: 2001 }, (_, i) => ({ id: String(i), field: {} })),
      }),
    ],
    [
      'a field outside the schema',
      () => ({ user_type: 'app', users: [{ id: '1', field: { 성별: '남자' } }] }),
    ],
    ['a field of the wrong type', () => ({ user_type: 'app', users: [{ id: '1', field: { 연령: '30' } }] })],
    ['an unknown user_type', () => ({ user_type: 'email', users: [{ id: '1', field: {} }] })],
  ])('rejects adding %s with 400 / -2', async (_name, make) => {
    const r = await jsonPost('/v1/talkchannel/update/target_users', {
      file_id: fileId,
      channel_public_id: channel,
      ...make(),
    });
    expect(r).toMatchObject({ status: 400, body: { code: -2 } });
  });

  it('answers 404 / -2 for an unknown file and 400 / -2 for more than 2,000 deletions', async () => {
    const unknown = await jsonPost('/v1/talkchannel/delete/target_users', {
      file_id: 1,
      channel_public_id: channel,
      user_type: 'app',
      user_ids: ['1'],
    });
    expect(unknown).toMatchObject({ status: 404, body: { code: -2 } });
    const many = await jsonPost('/v1/talkchannel/delete/target_users', {
      file_id: fileId,
      channel_public_id: channel,
      user_type: 'app',
      user_ids: Array.from({ length: 2001 }, (_, i) => String(i)),
    });
    expect(many).toMatchObject({ status: 400, body: { code: -2 } });
  });
});

describe('public event buttons and channels', () => {
  const event = { title: 'Concert', time: timed('2024-03-10T10:00:00Z', '2024-03-10T12:00:00Z') };
  const link = { web_url: 'https://example.com/t', mobile_web_url: 'https://m.example.com/t' };

  it('keeps a documented button and drops one whose link is not a URL', async () => {
    const created = await adminKey.post(`${V2}/public/create/event`, {
      channel_public_id: channel,
      event: {
        ...event,
        notification_message: {
          before_event_reminder: { button: { title: '예매하기', link } },
          after_event_reminder: { button: { title: '참여하기', link: { web_url: 'not a url' } } },
        },
      },
    });
    expect(created.status).toBe(200);
    const detail = await adminKey.get(`${V2}/public/event`, {
      channel_public_id: channel,
      event_id: created.body.event_id as string,
    });
    expect((detail.body.event as Record<string, unknown>).notification_message).toEqual({
      before_event_reminder: { button: { title: '예매하기', link } },
      after_event_reminder: {},
    });
  });

  it.each([
    ['an undocumented title', { before_event_reminder: { button: { title: 'Buy now', link } } }],
    ['a link without URLs', { before_event_reminder: { button: { title: '예약하기', link: {} } } }],
    ['a non-boolean display_custom_button', { display_custom_button: 'yes' }],
  ])('rejects %s with 400 / -2', async (_name, message) => {
    const r = await adminKey.post(`${V2}/public/create/event`, {
      channel_public_id: channel,
      event: { ...event, notification_message: message },
    });
    expect(r).toMatchObject({ status: 400, body: { code: -2 } });
  });

  it('needs channel_public_id once the app has several channels, and refuses an unconnected one', async () => {
    expect(await adminKey.post(`${V2}/public/create/event`, { event })).toMatchObject({
      status: 400,
      body: { code: -2 },
    });
    expect(
      await adminKey.post(`${V2}/public/create/event`, { channel_public_id: '_other', event }),
    ).toMatchObject({ status: 400, body: { code: -2 } });
  });
});
