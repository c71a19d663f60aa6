import type { EventBrief, EventCreate, TaskCreate } from '../../kakao/types.js';
import { TalkcalError } from '../../model/errors.js';
import { PreconditionFailedError } from '../../sources/errors.js';
import type { SourceItem, Storage } from '../../sources/storage.js';
import type { KakaoFailure } from '../kakao-port.js';
import type { ItemMapping } from '../store/mapping.js';
import type { TaskEdits } from '../tasks/task-verify.js';
import { restoredTodo, writeBackTask } from '../tasks/task-write-back.js';
import type { Action, DetailFields } from './plan-types.js';
import { restoredIcs, type WriteBack } from './write-back.js';

// The source side of applying a plan (two-way links): write-backs of what Talk Calendar shows,
// guarded by the object's etag, and restores of items (events and to-dos) the source deleted but
// Kakao changed.

/** Writes into the source, each followed in its plan by the accepting of Talk Calendar's version. */
export const sourceWrites = new Set<Action['op']>([
  'source-update',
  'source-restore',
  'source-delete',
  'task-source-status',
  'task-source-restore',
]);

/** One item's failure, classified for the applier. */
export class ItemFailure extends Error {
  constructor(
    readonly kind: KakaoFailure | 'source-changed',
    readonly original: unknown,
  ) {
    super(kind);
  }
}

export interface SourceWriterDeps {
  storage: Storage;
  writeBack?: WriteBack;
  now: () => Date;
}

export interface SourceWriterResult {
  counts: { sourceUpdated: number };
  warnings: string[];
}

export class SourceWriter {
  constructor(
    private readonly deps: SourceWriterDeps,
    private readonly result: SourceWriterResult,
  ) {}

  async update(
    href: string,
    etag: string,
    from: EventBrief,
    work: ItemMapping,
    detail: DetailFields | undefined,
  ): Promise<void> {
    const { writeBack } = this.deps;
    if (!writeBack) {
      this.result.warnings.push(
        `${work.sourceKey}: edited in Talk Calendar, but write-back is not available`,
      );
      return;
    }
    const previous = Object.values(work.units).find((u) => u.event)?.event;
    return this.write(href, etag, work, (item) => writeBack(item, from, previous, this.deps.now(), detail));
  }

  /** Rewrites one source object guarded by its etag (a write-back of what Talk Calendar shows). */
  async write(
    href: string,
    etag: string,
    work: ItemMapping,
    patch: (item: SourceItem) => string,
  ): Promise<void> {
    const { storage } = this.deps;
    try {
      const [current] = await storage.getMany([href]);
      if (!current || current.etag !== etag)
        throw new PreconditionFailedError(href, etag, storage.description);
      const ics = patch(current.item);
      const ref = await storage.update(href, { ...current.item, ics }, etag);
      // The old etag stays recorded, so the next run re-reads the item and records (without a
      // Kakao call) the state the write-back produced.
      work.href = ref.href;
      this.result.counts.sourceUpdated++;
    } catch (err) {
      throw sourceFailure(err);
    }
  }

  /**
   * Writes the Kakao version of an item the source deleted back as a new source object. The old
   * etag is dropped, so the next run reads the new object and records it without a Kakao call.
   */
  async restore(work: ItemMapping, from: EventBrief, event: EventCreate): Promise<void> {
    await this.upload(work, 'event', () => restoredIcs(work.sourceKey, from, event, this.deps.now()));
  }

  /**
   * The task version of `restore`: a new VTODO as Talk Calendar shows the task, which the mapping
   * then records. Recorded only once written: a failed restore is planned again next run.
   */
  async restoreTask(work: ItemMapping, task: TaskCreate, completed: boolean): Promise<void> {
    const restored = () => restoredTodo(work.sourceKey, task, completed, this.deps.now());
    if (!(await this.upload(work, 'todo', restored))) return;
    const unit = work.units['task'];
    if (unit) Object.assign(unit, { task, completed });
  }

  /** Writes a task edit made in Talk Calendar (completion, title, due date) back into its VTODO. */
  writeTask(work: ItemMapping, a: { href: string; etag: string; completed?: boolean; edits?: TaskEdits }) {
    const change = {
      ...(a.completed === undefined ? {} : { completed: a.completed }),
      ...(a.edits ? { edits: a.edits } : {}),
    };
    return this.write(a.href, a.etag, work, (item) => writeBackTask(item, change, this.deps.now()));
  }

  /** Uploads a new object for the item; false when the source is read-only (nothing written). */
  private async upload(work: ItemMapping, kind: SourceItem['kind'], ics: () => string): Promise<boolean> {
    const { storage } = this.deps;
    if (storage.readOnly) {
      this.result.warnings.push(`${work.sourceKey}: edited in Talk Calendar, but the source is read-only`);
      return false;
    }
    try {
      const ref = await storage.upload({ uid: work.sourceKey, kind, ics: ics() });
      work.href = ref.href;
      delete work.etag;
      this.result.counts.sourceUpdated++;
      return true;
    } catch (err) {
      throw sourceFailure(err);
    }
  }
}

export function sourceFailure(err: unknown): ItemFailure {
  if (err instanceof PreconditionFailedError) return new ItemFailure('source-changed', err);
  if (err instanceof TalkcalError && err.scope !== 'app' && err.scope !== 'user') {
    return new ItemFailure('retryable', err);
  }
  return new ItemFailure('stop', err);
}
