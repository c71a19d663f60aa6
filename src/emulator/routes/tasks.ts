// Tasks (v1): create, retrieve (one or a period), challenge records, edit, complete, delete.
import type { FastifyInstance } from 'fastify';
import type { TaskCreate, TaskDueInfo } from '../../kakao/types.js';
import { kakaoLimits } from '../../kakao/types.js';
import { isValidTimeZone, isValidYmd, validateTaskCreate, validateTaskUpdate } from '../../kakao/validate.js';
import { invalidParam, notFound } from '../errors.js';
import { newObjectId } from '../ids.js';
import type { StoredTask } from '../model.js';
import { rollRecurring, setComplete, taskWire, todayFor, touch } from '../task-logic.js';
import { defaultZone, ymdInZone } from '../time.js';
import { type EmulatorContext, intParam, jsonField, rejectIssues, requireParam, userRoute } from './kit.js';

const scope = 'talk_calendar_task';
const dayMs = 86_400_000;

function ymdDays(from: string, to: string): number {
  const d = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8)));
  return (d(to) - d(from)) / dayMs;
}

export function registerTaskRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const base = '/v1/api/calendar';

  const findTask = (tasks: Map<string, StoredTask>, id: string) => {
    const task = tasks.get(id);
    if (!task) throw notFound('task', id);
    return task;
  };

  userRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/create/task`, endpoint: 'tasks.create', scope },
    ({ user, params, now }) => {
      const body = jsonField(params, 'task', true) as unknown as TaskCreate;
      const zone = isValidTimeZone(body.due_info?.time_zone) ? body.due_info.time_zone : defaultZone;
      rejectIssues(validateTaskCreate(body, ymdInZone(now, zone)));
      const task: StoredTask = {
        id: newObjectId(),
        content: body.content,
        bookmark: false,
        completed: false,
        isEnded: false,
        records: new Map(),
        updatedAt: now,
        editSeq: 0,
      };
      touch(task, now);
      if (body.due_info) {
        task.dueInfo = structuredClone(body.due_info);
        if (body.due_info.recur?.rrule) task.recurAnchor = body.due_info.due_date;
      }
      user.tasks.set(task.id, task);
      return { task_id: task.id };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'GET', url: `${base}/tasks`, endpoint: 'tasks.list', scope },
    ({ user, params, now }) => {
      const zone = params.time_zone || undefined;
      if (zone !== undefined && !isValidTimeZone(zone))
        throw invalidParam('time_zone must be an IANA time zone');
      if (params.task_id) {
        const task = findTask(user.tasks, params.task_id);
        const today = todayFor(task, now, zone);
        rollRecurring(task, today);
        return { tasks: [taskWire(task, today)], count: 1, has_next: false };
      }
      const from = params.from;
      const to = params.to;
      if (!isValidYmd(from) || !isValidYmd(to)) throw invalidParam('from and to must be yyyyMMdd');
      if (from > to) throw invalidParam('from must not be after to');
      if (ymdDays(from, to) > kakaoLimits.listWindowDays) {
        throw invalidParam(`to must be within ${kakaoLimits.listWindowDays} days of from`);
      }
      const status = params.task_status || 'TODO';
      if (!['TODO', 'COMPLETED', 'ALL'].includes(status))
        throw invalidParam('task_status must be TODO, COMPLETED or ALL');
      const filters = (params.task_filter ?? '').split(',').filter((s) => s !== '');
      for (const f of filters)
        if (!['authorized', 'bookmark'].includes(f)) throw invalidParam(`unknown task_filter ${f}`);
      const offset = intParam(params, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = intParam(params, 'limit', 100, 1, kakaoLimits.listLimitMax);
      const rows = [...user.tasks.values()]
        .map((task) => {
          const today = todayFor(task, now, zone);
          rollRecurring(task, today);
          return { task, wire: taskWire(task, today) };
        })
        .filter(({ task }) => !task.dueInfo || (task.dueInfo.due_date >= from && task.dueInfo.due_date <= to))
        .filter(({ wire }) =>
          status === 'ALL'
            ? true
            : status === 'COMPLETED'
              ? wire.status === 'COMPLETED'
              : wire.status !== 'COMPLETED',
        )
        .filter(({ task }) => !filters.includes('bookmark') || task.bookmark)
        .sort(
          (a, b) =>
            Number(a.wire.status === 'COMPLETED') - Number(b.wire.status === 'COMPLETED') ||
            b.task.editSeq - a.task.editSeq,
        );
      const page = rows.slice(offset, offset + limit);
      const hasNext = offset + limit < rows.length;
      const out: Record<string, unknown> = {
        tasks: page.map((r) => r.wire),
        count: rows.length,
        has_next: hasNext,
      };
      if (hasNext) {
        const q = new URLSearchParams({ ...params, offset: String(offset + limit), limit: String(limit) });
        out.after_url = `${ctx.origin()}${base}/tasks?${q}`;
      }
      return out;
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'GET', url: `${base}/task/records`, endpoint: 'tasks.records', scope },
    ({ user, params }) => {
      const task = findTask(user.tasks, requireParam(params, 'task_id'));
      for (const k of ['from', 'to'] as const) {
        if (params[k] !== undefined && !/^\d{4}(0[1-9]|1[0-2])$/.test(params[k]))
          throw invalidParam(`${k} must be yyyyMM`);
      }
      if (!task.dueInfo?.recur?.record_on) return { records: [] };
      const records = [...task.records]
        .filter(
          ([d]) =>
            (params.from === undefined || d.slice(0, 6) >= params.from) &&
            (params.to === undefined || d.slice(0, 6) <= params.to),
        )
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([date, complete]) => ({ date, complete }));
      if (records.length === 0) return { records };
      return {
        records,
        start_at: records[0]!.date.slice(0, 6),
        end_at: records[records.length - 1]!.date.slice(0, 6),
      };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/update/task`, endpoint: 'tasks.update', scope },
    ({ user, params, now }) => {
      const task = findTask(user.tasks, requireParam(params, 'task_id'));
      const body = jsonField(params, 'task', true);
      const due = body.due_info as Partial<TaskDueInfo> | null | undefined;
      const zone = isValidTimeZone(due?.time_zone) ? due.time_zone : (task.dueInfo?.time_zone ?? defaultZone);
      rejectIssues(validateTaskUpdate(body, ymdInZone(now, zone)));
      if (due && !due.due_date && !task.dueInfo) {
        throw invalidParam('task.due_info.due_date is required when the task has no due date');
      }
      if (typeof body.content === 'string') task.content = body.content;
      if (typeof body.bookmark === 'boolean') task.bookmark = body.bookmark;
      if (due === null) {
        delete task.dueInfo; // also drops recur and the challenge record
        delete task.recurAnchor;
        task.records.clear();
      } else if (due !== undefined) {
        const merged = { ...task.dueInfo, ...due } as TaskDueInfo & {
          alarm_time?: string | null;
          recur?: unknown;
        };
        if (merged.alarm_time === null) delete merged.alarm_time;
        if (merged.recur === null) delete merged.recur;
        task.dueInfo = merged as TaskDueInfo;
        // A new due date or rule restarts the series there.
        if (due.due_date !== undefined || due.recur !== undefined) task.recurAnchor = merged.due_date;
        task.isEnded = false;
      }
      touch(task, now);
      return { task_id: task.id };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/complete/task`, endpoint: 'tasks.complete', scope },
    ({ user, params, now }) => {
      const task = findTask(user.tasks, requireParam(params, 'task_id'));
      const complete = requireParam(params, 'complete');
      if (complete !== 'true' && complete !== 'false') throw invalidParam('complete must be true or false');
      rollRecurring(task, todayFor(task, now));
      setComplete(task, complete === 'true');
      touch(task, now);
      return { task_id: task.id };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'DELETE', url: `${base}/delete/task`, endpoint: 'tasks.delete', scope },
    ({ user, params }) => {
      const task = findTask(user.tasks, requireParam(params, 'task_id'));
      user.tasks.delete(task.id);
      return { task_id: task.id };
    },
  );
}
