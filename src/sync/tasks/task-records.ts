import type { TaskRecord } from '../../kakao/types.js';
import { withinGrant } from '../../model/granted-call.js';
import type { CallPurpose, QuotaGate } from '../../model/quota.js';
import type { RedisConnection } from '../../registry/redis.js';
import { classifyKakaoFailure } from '../kakao-port.js';
import { LinkRecordHash } from '../store/link-record-hash.js';
import type { LinkState } from '../store/mapping.js';

// The completion history (Kakao's "challenge records") of a task link's recurring tasks, read at
// most every sync.taskRecordsEveryHours per task as verification reads through the quota governor,
// over the sync horizon's past (a bounded range of months), and kept per link for the tasks feed
// (COMPLETED instances) and `talkcal status <user>`.

export interface TaskHistory {
  kakaoId: string;
  content: string;
  readAt: string;
  /** yyyyMMdd → completed that day, oldest first. */
  records: TaskRecord[];
}

/** A stored history, or undefined when the value is not one (never trusted blindly). */
export function parseTaskHistory(raw: string): TaskHistory | undefined {
  try {
    const h = JSON.parse(raw) as TaskHistory;
    return h && typeof h === 'object' && Array.isArray(h.records) ? h : undefined;
  } catch {
    return undefined;
  }
}

export class TaskRecordStore {
  private readonly hash: LinkRecordHash<TaskHistory>;

  constructor(redis: RedisConnection, key: (userId: string, linkId: string) => string) {
    this.hash = new LinkRecordHash(redis, key, 'task history');
  }

  load(userId: string, linkId: string): Promise<Map<string, TaskHistory>> {
    return this.hash.load(userId, linkId);
  }

  put(userId: string, linkId: string, history: TaskHistory): Promise<void> {
    return this.hash.put(userId, linkId, history.kakaoId, history);
  }

  remove(userId: string, linkId: string, kakaoIds: string[]): Promise<void> {
    return this.hash.remove(userId, linkId, kakaoIds);
  }
}

export interface TaskRecordsDeps {
  userId: string;
  linkId: string;
  state: LinkState;
  store: TaskRecordStore;
  getTaskRecords: (taskId: string, fromMonth: string, toMonth: string) => Promise<TaskRecord[]>;
  quota: QuotaGate;
  now: Date;
  everyHours: number;
  horizonPastDays: number;
  count: (purpose: CallPurpose) => void;
}

const month = (d: Date) => d.toISOString().slice(0, 7).replace('-', '');

/** Mapped recurring tasks that keep a history (record_on), by Kakao id → content. */
export function recordedTasks(state: LinkState): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of state.items.values()) {
    const u = m.units['task'];
    if (u?.kakaoId && u.task?.due_info?.recur?.record_on) out.set(u.kakaoId, u.task.content);
  }
  return out;
}

/** Reads the histories that are due; returns how many were read and how many the quota deferred. */
export async function refreshTaskRecords(deps: TaskRecordsDeps): Promise<{ read: number; deferred: number }> {
  const { userId, linkId } = deps;
  const tasks = recordedTasks(deps.state);
  const stored = await deps.store.load(userId, linkId);
  await deps.store.remove(
    userId,
    linkId,
    [...stored.keys()].filter((id) => !tasks.has(id)),
  );
  const due = [...tasks].filter(([id]) => {
    const readAt = stored.get(id)?.readAt;
    return !readAt || deps.now.getTime() - Date.parse(readAt) >= deps.everyHours * 3600_000;
  });
  const from = month(new Date(deps.now.getTime() - deps.horizonPastDays * 86_400_000));
  const to = month(deps.now);
  let read = 0;
  for (const [i, [kakaoId, content]] of due.entries()) {
    if (!(await deps.quota.acquire(userId, 'verify', 1))) return { read, deferred: due.length - i };
    deps.count('verify');
    let records: TaskRecord[];
    try {
      records = await withinGrant(
        deps.quota,
        userId,
        'verify',
        () => deps.getTaskRecords(kakaoId, from, to),
        deps.count,
      );
    } catch (err) {
      if (classifyKakaoFailure(err) !== 'not-found') throw err;
      continue; // deleted in Talk Calendar: the task sync finds it
    }
    // Kakao's answer is input like any other: well-formed days only, at most one per day of the range.
    const sorted = (Array.isArray(records) ? records : [])
      .filter((r) => typeof r?.date === 'string' && /^\d{8}$/.test(r.date) && typeof r.complete === 'boolean')
      .map((r) => ({ date: r.date, complete: r.complete }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      .slice(-(deps.horizonPastDays + 1));
    await deps.store.put(userId, linkId, {
      kakaoId,
      content,
      readAt: deps.now.toISOString(),
      records: sorted,
    });
    read++;
  }
  return { read, deferred: 0 };
}
