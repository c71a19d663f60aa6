import { randomUUID } from 'node:crypto';
import type { TaskCreate } from '../../kakao/types.js';
import type { Action } from '../events/plan-types.js';
import { taskUnit } from '../events/unit-state.js';
import { classifyKakaoFailure, type KakaoPort } from '../kakao-port.js';
import type { HeldLock } from '../store/lock.js';
import type { ItemMapping, LinkState } from '../store/mapping.js';
import type { MappingStore } from '../store/mapping-store.js';
import { taskCreateIntent } from './task-intents.js';

// The task side of applying a plan: creates announced by write-ahead intents, adoptions of tasks
// an interrupted create made, updates, completions and deletions, each mapped as it succeeds.

export type TaskAction = Extract<
  Action,
  {
    op:
      | 'task-create'
      | 'task-adopt'
      | 'task-update'
      | 'task-delete'
      | 'task-complete'
      | 'task-accept'
      | 'task-record';
  }
>;

export interface TaskWriterDeps {
  linkId: string;
  kakao: KakaoPort;
  store: MappingStore;
  lock: HeldLock;
  now: () => Date;
  /** Every Kakao call goes through the applier (quota gate, call count). */
  call: <T>(fn: () => Promise<T>, announce?: () => Promise<void>) => Promise<T>;
}

export interface TaskWriterCounts {
  kakaoCreated: number;
  kakaoUpdated: number;
  kakaoDeleted: number;
}

export class TaskWriter {
  constructor(
    private readonly deps: TaskWriterDeps,
    private readonly state: LinkState,
    private readonly counts: TaskWriterCounts,
  ) {}

  async run(a: TaskAction, work: ItemMapping): Promise<void> {
    const { kakao, call } = this.deps;
    switch (a.op) {
      case 'task-create':
        return this.create(work, a.task, a.completed, a.desiredHash);
      case 'task-adopt': {
        // Mapped and committed first as Kakao shows it, with a hash that never matches: a failure
        // or crash below leaves a mapped task to update next run (its content may have changed).
        work.units['task'] = { ...taskUnit(a.kakaoId, ''), task: a.sent, completed: a.kakaoCompleted };
        this.state.intents = this.state.intents.filter((i) => i.id !== a.intentId);
        await this.deps.store.commit(this.deps.lock, this.deps.linkId, {
          put: [work],
          settleIntents: [a.intentId],
        });
        if (!a.sentAsWanted) await call(() => kakao.updateTask(a.kakaoId, a.task));
        if (a.kakaoCompleted !== a.completed) await this.complete(work, a.kakaoId, a.completed);
        work.units['task'] = { ...taskUnit(a.kakaoId, a.desiredHash), task: a.task, completed: a.completed };
        return;
      }
      case 'task-update': {
        const unit = work.units['task']!;
        const shown = a.kakaoCompleted ?? unit.completed;
        const completion = shown === undefined || shown !== a.completed;
        try {
          if (a.sendContent) await call(() => kakao.updateTask(a.kakaoId, a.task));
          if (completion) await this.complete(work, a.kakaoId, a.completed);
        } catch (err) {
          if (classifyKakaoFailure(err) !== 'not-found') throw err;
          // Deleted in Talk Calendar but changed in the source: the change beats the deletion.
          return this.create(work, a.task, a.completed, a.desiredHash);
        }
        if (a.sendContent || completion) this.counts.kakaoUpdated++;
        work.units['task'] = {
          ...taskUnit(a.kakaoId, a.desiredHash),
          task: a.task,
          completed: a.completed,
        };
        return;
      }
      case 'task-delete':
        await this.deleteById(a.kakaoId);
        delete work.units['task'];
        return;
      case 'task-complete':
        await this.complete(work, a.kakaoId, a.completed);
        this.counts.kakaoUpdated++;
        work.units['task']!.completed = a.completed;
        return;
      case 'task-accept': {
        const unit = work.units['task'];
        if (!unit) return;
        if (a.deleted) unit.kakaoId = null;
        if (a.completed !== undefined) unit.completed = a.completed;
        if (a.task) unit.task = a.task;
        return;
      }
      case 'task-record': {
        const unit = work.units['task'];
        if (unit)
          work.units['task'] = {
            ...unit,
            desiredHash: a.desiredHash,
            kakaoHash: a.desiredHash,
            ...(a.task ? { task: a.task } : {}),
          };
        return;
      }
    }
  }

  /**
   * Sends a completion. Its answer lost, Kakao may show it or not, and a link that never reads its
   * tasks back could not tell: the task's completion is recorded as unknown (and its hash as never
   * matching), so the next run sends the completion the source wants, whichever it is.
   */
  private async complete(work: ItemMapping, kakaoId: string, completed: boolean): Promise<void> {
    try {
      await this.deps.call(() => this.deps.kakao.completeTask(kakaoId, completed));
    } catch (err) {
      const kind = classifyKakaoFailure(err);
      const unit = work.units['task'];
      if (unit && (kind === 'retryable' || kind === 'outcome-unknown')) {
        delete unit.completed;
        unit.desiredHash = '';
      }
      throw err;
    }
  }

  async deleteById(kakaoId: string): Promise<void> {
    try {
      await this.deps.call(() => this.deps.kakao.deleteTask(kakaoId));
      this.counts.kakaoDeleted++;
    } catch (err) {
      if (classifyKakaoFailure(err) !== 'not-found') throw err; // already gone
    }
  }

  private async create(work: ItemMapping, task: TaskCreate, completed: boolean, desiredHash: string) {
    const { store, lock, linkId, kakao, call } = this.deps;
    // Write-ahead, as for events, when the next run can list tasks to find what the create made.
    // Stamped just before each send (after any quota wait, again before a retry), so its age
    // bounds how long ago the create was last sent.
    let intent: ReturnType<typeof taskCreateIntent> | undefined;
    const intentId = randomUUID();
    const announce = async () => {
      intent = taskCreateIntent(intentId, work.sourceKey, task, this.deps.now().toISOString());
      await store.openIntent(lock, linkId, intent);
      this.state.intents = [...this.state.intents.filter((i) => i.id !== intentId), intent];
    };
    const id = await call(() => kakao.createTask(task), kakao.listTasksWindow ? announce : undefined);
    this.counts.kakaoCreated++;
    // A completion still to send is recorded as unknown: if its answer is lost, Kakao may show it or
    // not, and the next run sends it again instead of trusting either.
    work.units['task'] = { ...taskUnit(id, desiredHash), task, ...(completed ? {} : { completed: false }) };
    // Recorded before the completion with a hash that never matches, so a crash between the
    // two calls leaves a mapped task that the next run completes, not a second task.
    if (completed) work.units['task'].desiredHash = '';
    const opened = intent?.id;
    if (completed || opened) {
      if (opened) this.state.intents = this.state.intents.filter((i) => i.id !== opened);
      await store.commit(lock, linkId, { put: [work], ...(opened ? { settleIntents: [opened] } : {}) });
    }
    if (completed) {
      await call(() => kakao.completeTask(id, true));
      work.units['task'].desiredHash = desiredHash;
    }
    work.units['task'].completed = completed;
  }
}
