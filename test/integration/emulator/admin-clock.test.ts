import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/server.js';
import { api, start, V2 } from './helpers.js';

// The admin clock a benchmark moves in step with the daemon's, and a Talk Calendar-side deletion.

let emu: RunningEmulator | undefined;

afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const post = (e: RunningEmulator, path: string, body: unknown) =>
  fetch(`${e.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('emulator admin clock and drift', () => {
  it('a clock set with a rate runs that many times faster than real time from realAt', async () => {
    emu = await start();
    const realAt = Date.now() - 2000;
    const res = await post(emu, '/_emulator/clock', { now: '2026-12-01T00:00:00Z', rate: 3600, realAt });
    expect(res.status).toBe(200);
    // Two real seconds ago at 3,600×: at least two hours have passed on the emulator's clock.
    const at = emu.state.now().getTime() - Date.parse('2026-12-01T00:00:00Z');
    expect(at).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(at).toBeLessThan(3 * 3_600_000);
    emu.admin.setClock(new Date('2026-12-01T00:00:00Z'));
    expect(emu.state.now().toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('refuses a negative or non-numeric rate in one line', async () => {
    emu = await start();
    const res = await post(emu, '/_emulator/clock', { now: '2026-12-01T00:00:00Z', rate: -1 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/rate must be a number ≥ 0/);
  });

  it('deletes an event as its owner would: gone from the API listing; an unknown id is 404', async () => {
    emu = await start();
    emu.admin.setClock(new Date('2026-12-01T00:00:00Z'));
    const user = emu.admin.createUser();
    const { event_id } = emu.admin.seedEvent(user.userId, {
      title: 'Gone',
      time: { start_at: '2026-12-02T01:00:00Z', end_at: '2026-12-02T02:00:00Z' },
    });
    const del = (id: string) =>
      fetch(`${emu!.url}/_emulator/users/${user.userId}/events/${id}`, { method: 'DELETE' });
    expect((await del(event_id)).status).toBe(200);
    expect((await del(event_id)).status).toBe(404);
    const listed = await api(emu, user.accessToken).get(`${V2}/events`, {
      from: '2026-12-01T00:00:00Z',
      to: '2026-12-03T00:00:00Z',
    });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(event_id);
  });
});
