import { describe, expect, it } from 'vitest';
import { api, useEmulator, V1 } from './helpers.js';

// 2024-03-04 10:00 KST.
const env = useEmulator({}, (emu) => emu.admin.setClock(new Date('2024-03-04T01:00:00Z')));

type TaskWire = { task_id: string; content: string; status: string; due_info?: { due_date: string } };

describe('tasks', () => {
  it('create, retrieve, edit, complete and delete', async () => {
    const made = env.emu.admin.createUser();
    const http = api(env.emu, made.accessToken);
    const id = (
      await http.post(`${V1}/create/task`, {
        task: { content: 'Buy milk', due_info: { due_date: '20240305', alarm_time: '0900' } },
      })
    ).body.task_id as string;
    const one = await http.get(`${V1}/tasks`, { task_id: id });
    expect(one.body.tasks).toEqual([
      {
        task_id: id,
        content: 'Buy milk',
        status: 'SCHEDULED',
        bookmark: false,
        authorized: true,
        is_ended: false,
        due_info: { due_date: '20240305', alarm_time: '0900' },
      },
    ]);
    await http.post(`${V1}/update/task`, { task_id: id, task: { content: 'Buy oat milk', bookmark: true } });
    await http.post(`${V1}/complete/task`, { task_id: id, complete: 'true' });
    const todo = await http.get(`${V1}/tasks`, { from: '20240301', to: '20240331' });
    expect(todo.body).toMatchObject({ tasks: [], count: 0, has_next: false });
    const done = await http.get(`${V1}/tasks`, {
      from: '20240301',
      to: '20240331',
      task_status: 'COMPLETED',
    });
    expect((done.body.tasks as TaskWire[]).map((t) => [t.content, t.status])).toEqual([
      ['Buy oat milk', 'COMPLETED'],
    ]);
    await http.post(`${V1}/update/task`, { task_id: id, task: { due_info: null } });
    expect(env.emu.admin.tasks(made.userId)[0]!.due_info).toBeUndefined();
    expect((await http.del(`${V1}/delete/task`, { task_id: id })).body).toEqual({ task_id: id });
    expect((await http.get(`${V1}/tasks`, { task_id: id })).status).toBe(404);
  });

  it('pages a period with offset/limit, count and after_url', async () => {
    const http = api(env.emu, env.emu.admin.createUser().accessToken);
    for (let i = 0; i < 5; i++) {
      await http.post(`${V1}/create/task`, {
        task: { content: `t${i}`, due_info: { due_date: `2024031${i}` } },
      });
    }
    const first = await http.get(`${V1}/tasks`, { from: '20240310', to: '20240320', limit: '2' });
    expect(first.body).toMatchObject({ count: 5, has_next: true });
    const seen = (first.body.tasks as TaskWire[]).map((t) => t.content);
    let url = first.body.after_url as string | undefined;
    while (url) {
      expect(new URL(url).origin).toBe(env.emu.url);
      const next = await http.url(url);
      seen.push(...(next.body.tasks as TaskWire[]).map((t) => t.content));
      url = next.body.after_url as string | undefined;
    }
    // Most recently edited first.
    expect(seen).toEqual(['t4', 't3', 't2', 't1', 't0']);
  });

  it('records a recurring challenge and moves the due date', async () => {
    const http = api(env.emu, env.emu.admin.createUser().accessToken);
    const id = (
      await http.post(`${V1}/create/task`, {
        task: {
          content: 'Run',
          due_info: { due_date: '20240304', recur: { rrule: 'FREQ=DAILY;COUNT=3', record_on: true } },
        },
      })
    ).body.task_id as string;
    await http.post(`${V1}/complete/task`, { task_id: id, complete: 'true' });
    const after = (await http.get(`${V1}/tasks`, { task_id: id })).body.tasks as TaskWire[];
    expect(after[0]!.due_info!.due_date).toBe('20240305');
    const records = await http.get(`${V1}/task/records`, { task_id: id });
    expect(records.body).toEqual({
      records: [{ date: '20240304', complete: true }],
      start_at: '202403',
      end_at: '202403',
    });
  });

  it('marks a one-time task past its due date DELAYED', async () => {
    const made = env.emu.admin.createUser();
    const http = api(env.emu, made.accessToken);
    const id = (
      await http.post(`${V1}/create/task`, { task: { content: 'Late', due_info: { due_date: '20240304' } } })
    ).body.task_id as string;
    env.emu.admin.setClock(new Date('2024-03-05T01:00:00Z'));
    try {
      // A day later the first access token has expired: take a fresh one for the same user.
      const later = api(env.emu, env.emu.admin.createUser({ userId: made.userId }).accessToken);
      const t = (await later.get(`${V1}/tasks`, { task_id: id })).body.tasks as TaskWire[];
      expect(t[0]!.status).toBe('DELAYED');
    } finally {
      env.emu.admin.setClock(new Date('2024-03-04T01:00:00Z'));
    }
  });
});
