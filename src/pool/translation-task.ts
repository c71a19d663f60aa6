// The code a translation thread runs: pure CPU work on plain data (splitting a feed into items,
// translating items). Loaded by piscina in a worker_threads Worker; also callable in-process.
import type { MessagePort } from 'node:worker_threads';
import { SourceLimitError } from '../sources/errors.js';
import { type SplitLimits, type SplitResult, splitCalendar } from '../sources/ics-split.js';
import type { SourceItem } from '../sources/storage.js';
import {
  type ItemTranslateOptions,
  type TranslationOutcome,
  translateItems,
} from '../translate/source-item.js';

export type PoolTask = (
  | { kind: 'split'; text: string; limits: SplitLimits; near: number }
  | { kind: 'translate'; items: SourceItem[]; options: ItemTranslateOptions }
) & {
  /** Told when a thread takes the task, so its time limit counts from then (not from the queue). */
  started?: MessagePort;
};

/** A split result as it crosses threads: errors lose their class there, so the breach is data. */
export type SplitWire = Omit<SplitResult, 'limitExceeded'> & {
  exceeded?: { limit: string; max: number; actual: number };
};

export function toWire(result: SplitResult): SplitWire {
  const { limitExceeded, ...rest } = result;
  if (!limitExceeded) return rest;
  return {
    ...rest,
    exceeded: { limit: limitExceeded.limit, max: limitExceeded.max, actual: limitExceeded.actual },
  };
}

export function fromWire(wire: SplitWire): SplitResult {
  const { exceeded, ...rest } = wire;
  if (!exceeded) return rest;
  return { ...rest, limitExceeded: new SourceLimitError(exceeded.limit, exceeded.max, exceeded.actual) };
}

export function runTask(task: PoolTask): SplitWire | TranslationOutcome[] {
  task.started?.postMessage('started');
  task.started?.close();
  if (task.kind === 'split') return toWire(splitCalendar(task.text, task.limits, task.near));
  return translateItems(task.items, task.options);
}

export default runTask;
