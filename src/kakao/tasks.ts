import { type ApiCall, bad, idFrom, isObject, type KakaoCaller, readAllPages } from './caller.js';
import { KakaoArgumentError } from './errors.js';
import type {
  Task,
  TaskCreate,
  TaskFilter,
  TaskListPage,
  TaskRecords,
  TaskStatusFilter,
  TaskUpdate,
} from './types.js';
import { kakaoLimits } from './types.js';
import { type CompactDate, parseCompactDate, splitDateWindows } from './windows.js';

// Tasks (v1 API): create, list (one window or any range), one task, challenge records, edit,
// completion, delete. Dates are yyyyMMdd calendar dates.

const base = '/v1/api/calendar';

export interface ListTasksInput {
  /** yyyyMMdd, inclusive. */
  from: CompactDate;
  /** yyyyMMdd, inclusive. */
  to: CompactDate;
  /** Default TODO (Kakao's default); ALL lists completed ones too. */
  status?: TaskStatusFilter;
  filter?: TaskFilter[];
  /** Default Asia/Seoul: the zone Kakao computes `status` in. */
  timeZone?: string;
  /** Page size, default and maximum 1000. */
  limit?: number;
}

export async function createTask(caller: KakaoCaller, task: TaskCreate): Promise<string> {
  const body = await caller.call<unknown>({
    endpoint: 'tasks.create',
    method: 'POST',
    path: `${base}/create/task`,
    params: { task },
    unsafeToRepeat: true,
  });
  return idFrom(body, 'task_id', 'tasks.create', true);
}

/** Exactly one window (at most 31 days from `from`): one call plus one per further page. */
export async function listTasksWindow(caller: KakaoCaller, input: ListTasksInput): Promise<Task[]> {
  const from = parseCompactDate(input.from);
  const to = parseCompactDate(input.to);
  if (Number.isNaN(from) || Number.isNaN(to) || from > to || to - from > 31 * 86_400_000) {
    throw new KakaoArgumentError(
      { status: 0, endpoint: 'tasks.list' },
      'tasks.list: from/to must be yyyyMMdd dates, from ≤ to, within 31 days',
    );
  }
  const first: ApiCall = {
    endpoint: 'tasks.list',
    method: 'GET',
    path: `${base}/tasks`,
    params: {
      from: input.from,
      to: input.to,
      task_status: input.status,
      task_filter: input.filter?.join(','),
      time_zone: input.timeZone,
      offset: 0,
      limit: input.limit ?? kakaoLimits.listLimitMax,
    },
  };
  const pages = await readAllPages(caller, first, checkTaskPage, (page, previous) => {
    const count = tasksOf(page).length;
    const offset = Number(previous.params?.['offset'] ?? 0) + count;
    return count === 0 ? undefined : { ...previous, params: { ...previous.params, offset } };
  });
  return pages.flatMap(tasksOf);
}

/** Any date range, read as windows of 31 calendar days; each task once (by task_id). */
export async function listTasks(caller: KakaoCaller, input: ListTasksInput): Promise<Task[]> {
  if (Number.isNaN(parseCompactDate(input.from)) || Number.isNaN(parseCompactDate(input.to))) {
    throw new KakaoArgumentError(
      { status: 0, endpoint: 'tasks.list' },
      'tasks.list: from/to must be yyyyMMdd',
    );
  }
  const out: Task[] = [];
  const seen = new Set<string>();
  for (const window of splitDateWindows(input.from, input.to)) {
    for (const task of await listTasksWindow(caller, { ...input, ...window })) {
      if (seen.has(task.task_id)) continue;
      seen.add(task.task_id);
      out.push(task);
    }
  }
  return out;
}

/** One task by id, or undefined when the answer holds none. */
export async function getTask(
  caller: KakaoCaller,
  taskId: string,
  timeZone?: string,
): Promise<Task | undefined> {
  const body = await caller.call<unknown>({
    endpoint: 'tasks.get',
    method: 'GET',
    path: `${base}/tasks`,
    params: { task_id: taskId, time_zone: timeZone },
  });
  return tasksOf(checkTaskPage(body, 'tasks.get')).find((t) => t.task_id === taskId);
}

export async function getTaskRecords(
  caller: KakaoCaller,
  input: { taskId: string /** yyyyMM */; from?: string /** yyyyMM */; to?: string },
): Promise<TaskRecords> {
  const body = await caller.call<unknown>({
    endpoint: 'tasks.records',
    method: 'GET',
    path: `${base}/task/records`,
    params: { task_id: input.taskId, from: input.from, to: input.to },
  });
  if (!isObject(body) || (body['records'] !== undefined && !Array.isArray(body['records']))) {
    throw bad('tasks.records', 'records is not a list');
  }
  return body as TaskRecords;
}

export async function updateTask(
  caller: KakaoCaller,
  input: { taskId: string; task: TaskUpdate },
): Promise<string> {
  const body = await caller.call<unknown>({
    endpoint: 'tasks.update',
    method: 'POST',
    path: `${base}/update/task`,
    params: { task_id: input.taskId, task: input.task },
  });
  return idFrom(body, 'task_id', 'tasks.update');
}

export async function completeTask(
  caller: KakaoCaller,
  input: { taskId: string; complete: boolean },
): Promise<string> {
  const body = await caller.call<unknown>({
    endpoint: 'tasks.complete',
    method: 'POST',
    path: `${base}/complete/task`,
    params: { task_id: input.taskId, complete: input.complete },
  });
  return idFrom(body, 'task_id', 'tasks.complete');
}

export async function deleteTask(caller: KakaoCaller, taskId: string): Promise<string> {
  const body = await caller.call<unknown>({
    endpoint: 'tasks.delete',
    method: 'DELETE',
    path: `${base}/delete/task`,
    params: { task_id: taskId },
  });
  return idFrom(body, 'task_id', 'tasks.delete');
}

/** The table names the list `task`, the sample `tasks`: accept either. */
function tasksOf(page: TaskListPage): Task[] {
  return page.tasks ?? page.task ?? [];
}

function checkTaskPage(body: unknown, endpoint: string): TaskListPage {
  if (!isObject(body)) throw bad(endpoint, 'not an object');
  const list = body['tasks'] ?? body['task'];
  if (list !== undefined && !Array.isArray(list)) throw bad(endpoint, 'tasks is not a list');
  for (const task of (list as unknown[] | undefined) ?? []) {
    if (!isObject(task) || typeof task['task_id'] !== 'string') throw bad(endpoint, 'a task without task_id');
  }
  return body as unknown as TaskListPage;
}
