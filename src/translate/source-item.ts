// One source item → what it should become in Talk Calendar, whichever translator its kind needs.
// The one entry point the sync (in-process or on a translation thread) and inspect share.
import type { DesiredItem } from '../model/desired.js';
import { TalkcalError } from '../model/errors.js';
import type { SourceItem } from '../sources/storage.js';
import { translateEvent } from './event.js';
import type { TranslateLimits } from './limits.js';
import { translateTodo } from './task.js';

/** Everything item translation needs beyond the item: plain data, so it crosses thread boundaries. */
export interface ItemTranslateOptions {
  userTimeZone: string;
  now: Date;
  /** Occurrences of recurrences Kakao cannot represent are expanded only inside this window. */
  horizon: { from: Date; to: Date };
  suppressDefaultReminders: boolean;
  /** Bounds on what one item may cost (config `limits`). */
  limits: TranslateLimits;
  /** Every recurrence expanded into occurrences (channel links: public events cannot recur). */
  expandRecurrences?: boolean;
}

/** The translation of one item, or why the item cannot be read (it is then kept as it was). */
export type TranslationOutcome = { ok: true; desired: DesiredItem } | { ok: false; reason: string };

export function translateSourceItem(item: SourceItem, opts: ItemTranslateOptions): DesiredItem {
  if (item.kind === 'todo') {
    return translateTodo(item, { userTimeZone: opts.userTimeZone, now: opts.now, limits: opts.limits });
  }
  return translateEvent(item, {
    userTimeZone: opts.userTimeZone,
    horizon: opts.horizon,
    suppressDefaultReminders: opts.suppressDefaultReminders,
    now: opts.now,
    limits: opts.limits,
    ...(opts.expandRecurrences ? { expandRecurrences: true } : {}),
  });
}

/** Item-scoped failures become outcomes; anything else (a bug, a bound on the link) is thrown. */
export function translateItems(
  items: readonly SourceItem[],
  opts: ItemTranslateOptions,
): TranslationOutcome[] {
  return items.map((item) => {
    try {
      return { ok: true, desired: translateSourceItem(item, opts) };
    } catch (err) {
      if (!(err instanceof TalkcalError) || err.scope !== 'item') throw err;
      return { ok: false, reason: err.message };
    }
  });
}
