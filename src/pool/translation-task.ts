// The code a translation thread runs: pure CPU work on plain data (splitting a feed into items,
// translating items). Loaded by piscina in a worker_threads Worker; also callable in-process.
import type { MessagePort } from 'node:worker_threads';
import { type SplitResult, splitCalendar } from '../sources/ics-split.js';
import type { SourceItem } from '../sources/storage.js';
import {
  type ItemTranslateOptions,
  type TranslationOutcome,
  translateItems,
} from '../translate/source-item.js';

export type PoolTask = (
  | { kind: 'split'; text: string }
  | { kind: 'translate'; items: SourceItem[]; options: ItemTranslateOptions }
) & {
  /** Told when a thread takes the task, so its time limit counts from then (not from the queue). */
  started?: MessagePort;
};

export type PoolAnswer<T extends PoolTask> = T extends { kind: 'split' } ? SplitResult : TranslationOutcome[];

export function runTask(task: PoolTask): SplitResult | TranslationOutcome[] {
  task.started?.postMessage('started');
  task.started?.close();
  return task.kind === 'split' ? splitCalendar(task.text) : translateItems(task.items, task.options);
}

export default runTask;
