import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/server.js';
import { api, start, timed, V2 } from './helpers.js';

let emu: RunningEmulator | undefined;

afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const window = { from: '2024-06-01T00:00:00Z', to: '2024-06-02T00:00:00Z' };

async function adminPost(e: RunningEmulator, path: string, body: unknown) {
  const res = await fetch(`${e.url}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json() as Promise<Record<string, unknown>>;
}

describe('daily quota', () => {
  it('answers -10 past the app-wide budget and resets at midnight KST', async () => {
    emu = await start({ quota: { enabled: true, daily: 3 } });
    // 2024-06-01 14:00 UTC = 23:00 KST.
    emu.admin.setClock(new Date('2024-06-01T14:00:00Z'));
    const a = api(emu, emu.admin.createUser().accessToken);
    const b = api(emu, emu.admin.createUser().accessToken);
    expect((await a.get(`${V2}/events`, window)).status).toBe(200);
    expect((await b.get(`${V2}/events`, window)).status).toBe(200);
    expect((await a.get(`${V2}/calendars`)).status).toBe(200);
    expect(await b.get(`${V2}/events`, window)).toEqual({
      status: 400,
      body: { msg: 'API limit has been exceeded.', code: -10 },
    });
    const quota = (await (await fetch(`${emu.url}/_emulator/quota`)).json()) as Record<string, unknown>;
    expect(quota).toMatchObject({ used: 3, daily: 3, resetsAt: '2024-06-01T15:00:00.000Z' });
    // OAuth calls are not Talk Calendar calls.
    const grant = await fetch(`${emu.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'wrong', refresh_token: 'x' }),
    });
    expect(grant.status).toBe(401);
    emu.admin.setClock(new Date('2024-06-01T14:59:59Z'));
    expect((await a.get(`${V2}/events`, window)).body.code).toBe(-10);
    emu.admin.setClock(new Date('2024-06-01T15:00:00Z'));
    expect((await a.get(`${V2}/events`, window)).status).toBe(200);
    expect(emu.admin.quota()).toMatchObject({ used: 1, resetsAt: '2024-06-02T15:00:00.000Z' });
  });

  it('can be set through the admin API', async () => {
    emu = await start();
    const a = api(emu, emu.admin.createUser().accessToken);
    await adminPost(emu, '/quota', { enabled: true, daily: 10, used: 10 });
    expect((await a.get(`${V2}/calendars`)).body.code).toBe(-10);
    await adminPost(emu, '/quota', { enabled: false });
    expect((await a.get(`${V2}/calendars`)).status).toBe(200);
  });
});

describe('faults', () => {
  it('answers the given status and Kakao body for the next N matching requests', async () => {
    emu = await start();
    const a = api(emu, emu.admin.createUser().accessToken);
    await adminPost(emu, '/faults', {
      method: 'GET',
      path: `${V2}/events`,
      times: 2,
      status: 400,
      code: -603,
      msg: 'timeout',
    });
    expect(await a.get(`${V2}/events`, window)).toEqual({
      status: 400,
      body: { msg: 'timeout', code: -603 },
    });
    expect((await a.get(`${V2}/calendars`)).status).toBe(200);
    expect((await a.get(`${V2}/events`, window)).body.code).toBe(-603);
    expect((await a.get(`${V2}/events`, window)).status).toBe(200);
    const log = emu.admin.requests().filter((r) => r.endpoint === 'events.list');
    expect(log.map((r) => [r.status, r.code])).toEqual([
      [400, -603],
      [400, -603],
      [200, undefined],
    ]);
  });

  it('drops the connection before processing: nothing is created', async () => {
    emu = await start();
    const made = emu.admin.createUser();
    const a = api(emu, made.accessToken);
    await adminPost(emu, '/faults', { path: `${V2}/create/event`, times: 1, drop: true });
    const body = { event: { title: 'x', time: timed('2024-06-01T00:00:00Z', '2024-06-01T01:00:00Z') } };
    await expect(a.post(`${V2}/create/event`, body)).rejects.toThrow();
    expect(emu.admin.events(made.userId)).toEqual([]);
    expect(emu.admin.requests().at(-1)).toMatchObject({
      endpoint: 'events.create',
      status: 0,
      dropped: true,
    });
  });

  it('drops the connection after processing: the event exists although the client saw an error', async () => {
    emu = await start();
    const made = emu.admin.createUser();
    const a = api(emu, made.accessToken);
    await adminPost(emu, '/faults', {
      method: 'POST',
      path: `${V2}/create/event`,
      times: 1,
      drop: true,
      afterProcessing: true,
    });
    const body = { event: { title: 'x', time: timed('2024-06-01T00:00:00Z', '2024-06-01T01:00:00Z') } };
    await expect(a.post(`${V2}/create/event`, body)).rejects.toThrow();
    expect(emu.admin.events(made.userId)).toHaveLength(1);
    expect(emu.admin.requests().at(-1)).toMatchObject({
      endpoint: 'events.create',
      status: 200,
      dropped: true,
    });
    expect((await a.post(`${V2}/create/event`, body)).status).toBe(200);
    expect(emu.admin.events(made.userId)).toHaveLength(2);
  });

  it('delays a request with a latency-only fault and then processes it normally', async () => {
    emu = await start();
    const a = api(emu, emu.admin.createUser().accessToken);
    await adminPost(emu, '/faults', { path: `${V2}/calendars`, times: 1, latencyMs: 50 });
    expect((await a.get(`${V2}/calendars`)).status).toBe(200);
    expect(emu.state.faults).toEqual([]);
    expect(emu.admin.requests().at(-1)).toMatchObject({ endpoint: 'calendars.list', status: 200 });
  });

  it('gives a fault with a probability to the matching requests that win the draw, at most `times`', async () => {
    // Draws in order: 0.5 (passes), 0.05 (fault), 0.9 (passes), 0.01 (fault), 0.02 (no fault left).
    const draws = [0.5, 0.05, 0.9, 0.01, 0.02];
    emu = await start({ random: () => draws.shift() ?? 0.99 });
    const a = api(emu, emu.admin.createUser().accessToken);
    await adminPost(emu, '/faults', { path: `${V2}/*`, times: 2, status: 500, code: -1, probability: 0.1 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await a.get(`${V2}/calendars`)).status);
    expect(statuses).toEqual([200, 500, 200, 500, 200]);
    expect(emu.state.faults).toEqual([]);
    expect(draws).toEqual([0.02]);
  });

  it('refuses a probability outside (0, 1]', async () => {
    emu = await start();
    for (const probability of [0, 1.5, '0.5']) {
      const res = await fetch(`${emu.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: `${V2}/*`, times: 1, status: 500, probability }),
      });
      expect(res.status).toBe(400);
    }
    expect(emu.state.faults).toEqual([]);
  });

  it('clears faults and the request log through the admin API', async () => {
    emu = await start();
    const a = api(emu, emu.admin.createUser().accessToken);
    await adminPost(emu, '/faults', { path: `${V2}/*`, times: 5, status: 503, code: -9798 });
    expect((await a.get(`${V2}/calendars`)).status).toBe(503);
    await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    expect((await a.get(`${V2}/calendars`)).status).toBe(200);
    const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as {
      seq: number;
      endpoint: string;
    }[];
    expect(log.map((r) => r.endpoint)).toEqual(['calendars.list', 'calendars.list']);
    expect(log[1]!.seq).toBeGreaterThan(log[0]!.seq);
    await fetch(`${emu.url}/_emulator/requests`, { method: 'DELETE' });
    expect(emu.admin.requests()).toEqual([]);
  });
});
