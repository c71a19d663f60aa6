import { describe, expect, it } from 'vitest';
import { KakaoConnectionError, KakaoOutcomeUnknownError } from '../../../src/kakao/errors.js';
import {
  admin,
  clearLog,
  clientFor,
  compactDay,
  future,
  iso,
  newUserClient,
  requestLog,
  useEmulator,
} from './harness.js';

// Offset pagination (public events, tasks) and client-side timeouts against the emulator.

const env = useEmulator();

describe('offset pagination', () => {
  it('reads public events in pages of at most 30 and across windows, each once', async () => {
    const { client } = clientFor(env.emu);
    const ids: string[] = [];
    for (let i = 0; i < 33; i++) {
      const start = new Date(future(2 + (i % 3)).getTime() + i * 300_000);
      ids.push(
        await client.admin.createPublicEvent({
          event: {
            title: `p${i}`,
            time: { start_at: iso(start), end_at: iso(new Date(start.getTime() + 600_000)) },
          },
        }),
      );
    }
    const late = future(45);
    ids.push(
      await client.admin.createPublicEvent({
        event: {
          title: 'late',
          time: { start_at: iso(late), end_at: iso(new Date(late.getTime() + 600_000)) },
        },
      }),
    );
    await clearLog(env.emu);
    const listed = await client.admin.listPublicEvents({ from: future(0, 0), to: future(50, 0) });
    expect(listed.map((e) => e.id).sort()).toEqual([...ids].sort());
    const log = (await requestLog(env.emu)).filter((r) => r.endpoint === 'public.list');
    // window 1: 33 events = pages of 30 + 3; window 2: 1 event
    expect(log).toHaveLength(3);
    expect(log.map((r) => r.query?.['limit'])).toEqual(['30', '30', '30']);
  });

  it('reads tasks page by page through after_url', async () => {
    const { user } = await newUserClient(env.emu);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await user.createTask({ content: `t${i}`, due_info: { due_date: compactDay(2 + i) } }));
    await clearLog(env.emu);
    const tasks = await user.listTasksWindow({
      from: compactDay(0),
      to: compactDay(20),
      status: 'ALL',
      limit: 2,
    });
    expect(tasks.map((t) => t.task_id).sort()).toEqual([...ids].sort());
    expect((await requestLog(env.emu)).filter((r) => r.endpoint === 'tasks.list')).toHaveLength(3);
  });
});

describe('client timeouts', () => {
  it('retries a read that timed out once', async () => {
    const { client, user } = await newUserClient(env.emu, {}, { timeoutMs: 200 });
    await admin(env.emu, 'POST', '/faults', {
      method: 'GET',
      path: '/v2/api/calendar/calendars',
      times: 1,
      latencyMs: 1000,
    });
    await user.listCalendars();
    expect(client.stats.snapshot().byEndpoint['calendars.list']).toEqual({
      success: 1,
      retried: 1,
      failed: 0,
    });
  });

  it('reports outcome unknown for a create that timed out, without repeating it', async () => {
    const { client, user } = await newUserClient(env.emu, {}, { timeoutMs: 200 });
    await admin(env.emu, 'POST', '/faults', {
      method: 'POST',
      path: '/v1/api/calendar/create/task',
      times: 1,
      latencyMs: 1000,
    });
    await clearLog(env.emu);
    await expect(user.createTask({ content: 'slow' })).rejects.toBeInstanceOf(KakaoOutcomeUnknownError);
    expect(client.stats.snapshot().byEndpoint['tasks.create']).toEqual({ success: 0, retried: 0, failed: 1 });
  });

  it('gives up on a read that keeps dropping with KakaoConnectionError after maxAttempts', async () => {
    const { user } = await newUserClient(
      env.emu,
      {},
      { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } },
    );
    await admin(env.emu, 'POST', '/faults', {
      method: 'GET',
      path: '/v2/api/calendar/calendars',
      times: 5,
      drop: true,
    });
    await clearLog(env.emu);
    await expect(user.listCalendars()).rejects.toBeInstanceOf(KakaoConnectionError);
    expect((await requestLog(env.emu)).filter((r) => r.path === '/v2/api/calendar/calendars')).toHaveLength(
      3,
    );
    await admin(env.emu, 'DELETE', '/faults');
  });
});
