import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDaemon, runDaemon } from '../../../src/daemon/run.js';
import { syncKeys } from '../../../src/sync/store/keys.js';
import { TaskRecordStore } from '../../../src/sync/tasks/task-records.js';
import { cliEnv, deletePrefix, testConfig } from '../daemon/helpers.js';
import { runCli } from './cli-run.js';

// `talkcal status <user>`: the completion history of the user's recurring tasks (task records as
// the sync keeps them), one line per task for people, the whole history with --json.

describe('talkcal status <user>', () => {
  let daemon: RunningDaemon;
  let config: ReturnType<typeof testConfig>;
  let env: Record<string, string>;
  beforeAll(async () => {
    config = testConfig();
    env = cliEnv(config);
    daemon = await runDaemon(config, { api: false, worker: false });
  });
  afterAll(async () => {
    await daemon?.stop();
    await deletePrefix(config.redis.keyPrefix);
  });

  it("prints each recurring task's days done and the latest ones", async () => {
    const userId = '4242';
    await daemon.ctx.registry.users.upsert({ id: userId, timeZone: 'Asia/Seoul' });
    await daemon.ctx.registry.links.put(userId, {
      id: 'todo',
      source: { type: 'caldav', url: 'https://dav.example.org/todo/', component: 'todo' },
      target: { kind: 'tasks' },
    });
    const store = new TaskRecordStore(daemon.ctx.redis, syncKeys(config.redis.keyPrefix).taskRecords);
    await store.put(userId, 'todo', {
      kakaoId: 't1',
      content: '운동하기',
      readAt: '2026-12-07T09:00:00.000Z',
      records: [
        { date: '20261205', complete: true },
        { date: '20261206', complete: false },
        { date: '20261207', complete: true },
      ],
    });

    const shown = await runCli(env, ['status', userId]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`user      ${userId}:`);
    expect(shown.stdout).toContain(
      'task      운동하기 (link todo): 2 of 3 days done; last 12-05 done, 12-06 missed, 12-07 done; read 2026-12-07 09:00 UTC',
    );
    const json = await runCli(env, ['--json', 'status', userId]);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      taskRecords: { kakaoId: string; done: number; days: number }[];
    };
    expect(parsed.taskRecords).toMatchObject([{ kakaoId: 't1', done: 2, days: 3 }]);

    const unknown = await runCli(env, ['status', '999999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });
});
