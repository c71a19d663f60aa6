import type { Task } from '../../kakao/types.js';
import type { LinkState } from '../store/mapping.js';
import { kakaoTaskState, type TaskView } from './task-verify.js';

// A mapped task missing from the listing of its due window was deleted — or moved: its due date
// changed in Talk Calendar, so it is listed in another window, maybe one not read this run. Before
// the plan restores (or deletes from the source) a task that may only have moved, one task read
// settles which: found, it joins the listing (an edit); not found, it is deleted. A read the quota
// does not grant leaves the task unconfirmed (absence proves nothing this run).

export interface ConfirmDeps {
  /** One task by id, undefined when Kakao has none; absent: nothing is confirmed (old behaviour). */
  getTask?: (taskId: string) => Promise<Task | undefined>;
  /** Asks the quota governor for one read; false: not today. */
  grant: () => Promise<boolean>;
}

export async function confirmMissingTasks(state: LinkState, view: TaskView, now: string, deps: ConfirmDeps) {
  const getTask = deps.getTask;
  if (!getTask) return view;
  const items = [...view.items];
  const unconfirmed: string[] = [];
  for (const m of state.items.values()) {
    const unit = m.units['task'];
    if (!unit?.kakaoId || kakaoTaskState(unit, view, now).kind !== 'deleted') continue;
    if (!(await deps.grant())) {
      unconfirmed.push(unit.kakaoId);
      continue;
    }
    const found = await getTask(unit.kakaoId);
    if (found) items.push(found);
  }
  return { ...view, items, ...(unconfirmed.length > 0 ? { unconfirmed } : {}) };
}
