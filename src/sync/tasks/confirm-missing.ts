import type { Task } from '../../kakao/types.js';
import { classifyKakaoFailure } from '../kakao-port.js';
import { type LinkState, unitMappings } from '../store/mapping.js';
import { kakaoTaskState, type TaskView } from './task-verify.js';

// A task missing from the listing of the window its due date was in has been deleted — or its due
// date was moved out of the listed windows in Talk Calendar. Only a read by id tells the two apart;
// treating a move as a deletion restores the task a second time (a duplicate) or deletes the to-do.

/** Reads one task by id: the task, undefined when Kakao has none, 'refused' when the quota said no. */
export type ReadTask = (taskId: string) => Promise<Task | undefined | 'refused'>;

export interface ConfirmedTasks {
  /** Tasks found by id: they join the listing, so their edits are seen. */
  found: Task[];
  /** Tasks that could not be read this run: absence proves nothing about them. */
  unconfirmed: string[];
}

export async function confirmMissingTasks(
  state: LinkState,
  view: TaskView,
  now: string,
  read: ReadTask,
): Promise<ConfirmedTasks> {
  const confirmed: ConfirmedTasks = { found: [], unconfirmed: [] };
  for (const unit of unitMappings(state)) {
    if (!unit.task || !unit.kakaoId || kakaoTaskState(unit, view, now).kind !== 'deleted') continue;
    const task = await readOrGone(read, unit.kakaoId);
    if (task === 'refused') confirmed.unconfirmed.push(unit.kakaoId);
    else if (task) confirmed.found.push(task);
  }
  return confirmed;
}

async function readOrGone(read: ReadTask, taskId: string): Promise<Task | undefined | 'refused'> {
  try {
    return await read(taskId);
  } catch (err) {
    if (classifyKakaoFailure(err) === 'not-found') return undefined;
    throw err;
  }
}
