import type { KakaoUserClient } from '../kakao/client.js';
import { KakaoError, KakaoNotFoundError, KakaoOutcomeUnknownError } from '../kakao/errors.js';
import type {
  EventBrief,
  EventCreate,
  EventDetail,
  EventGuest,
  EventUpdate,
  RecurUpdateType,
  Task,
  TaskCreate,
  TaskRecord,
} from '../kakao/types.js';
import { TalkcalError } from '../model/errors.js';

// Exactly the Kakao calls the sync engine makes, so the engine can be driven by the real client,
// by a fake, or by a wrapper that counts calls or simulates crashes.

export interface KakaoPort {
  createEvent(calendarId: string, event: EventCreate): Promise<string>;
  updateEvent(eventId: string, event: EventUpdate, recurUpdateType?: RecurUpdateType): Promise<void>;
  /** A missing event rejects (classified not-found); the engine counts that as deleted. */
  deleteEvent(eventId: string, recurUpdateType?: RecurUpdateType): Promise<void>;
  /** Details of one event (description, location, reminders the list does not show). */
  getEvent(eventId: string): Promise<EventDetail>;
  /** One window of at most 31 days, every page. */
  listEventsWindow(calendarId: string, from: string, to: string): Promise<EventBrief[]>;
  createTask(task: TaskCreate): Promise<string>;
  updateTask(taskId: string, task: TaskCreate): Promise<void>;
  completeTask(taskId: string, complete: boolean): Promise<void>;
  deleteTask(taskId: string): Promise<void>;
  /** Tasks due in one window (yyyyMMdd, inclusive, at most 31 days), every status, every page. */
  listTasksWindow?(from: string, to: string): Promise<Task[]>;
  /** One task by id; undefined when Kakao has none (deleted). */
  getTask?(taskId: string): Promise<Task | undefined>;
  /** Edit for attendee: a guest's reminders, colour or memo of a public or subscribed event. */
  updateGuestEvent?(eventId: string, event: EventGuest): Promise<void>;
  /** Completion history of a recurring task (record_on) over whole months (yyyyMM). */
  getTaskRecords?(taskId: string, fromMonth: string, toMonth: string): Promise<TaskRecord[]>;
}

/** How the engine reacts to a failed call. */
export type KakaoFailure =
  /** 404: gone (success for a delete, drift for an update). */
  | 'not-found'
  /** A create may or may not have happened: keep the intent open and reconcile next run. */
  | 'outcome-unknown'
  /** Permanent rejection of this item (e.g. -2): quarantine it. */
  | 'item'
  /** Transient: try again next run. */
  | 'retryable'
  /** Token, quota, account or app problem, or not a Kakao error at all: end the run. */
  | 'stop';

export function classifyKakaoFailure(err: unknown): KakaoFailure {
  if (err instanceof KakaoNotFoundError) return 'not-found';
  if (err instanceof KakaoOutcomeUnknownError) return 'outcome-unknown';
  if (err instanceof KakaoError || err instanceof TalkcalError) {
    if (err.scope === 'item') return 'item';
    if (err.scope === 'retryable') return 'retryable';
  }
  return 'stop';
}

/** The port over the real client (`KakaoClient.forUser(userId, tokenStore)`). */
export function kakaoPortFor(client: KakaoUserClient): KakaoPort {
  return {
    createEvent: (calendarId, event) => client.createEvent({ calendarId, event }),
    async updateEvent(eventId, event, recurUpdateType) {
      await client.updateEvent({ eventId, event, ...(recurUpdateType ? { recurUpdateType } : {}) });
    },
    async deleteEvent(eventId, recurUpdateType) {
      await client.deleteEvent({ eventId, ...(recurUpdateType ? { recurUpdateType } : {}) });
    },
    getEvent: (eventId) => client.getEvent(eventId),
    listEventsWindow: (calendarId, from, to) =>
      client.listEventsWindow({ calendarId, from, to, limit: 1000 }),
    createTask: (task) => client.createTask(task),
    async updateTask(taskId, task) {
      await client.updateTask({ taskId, task: { content: task.content, due_info: task.due_info ?? null } });
    },
    async completeTask(taskId, complete) {
      await client.completeTask({ taskId, complete });
    },
    async deleteTask(taskId) {
      await client.deleteTask(taskId);
    },
    listTasksWindow: (from, to) => client.listTasksWindow({ from, to, status: 'ALL' }),
    async getTask(taskId) {
      try {
        return await client.getTask(taskId);
      } catch (err) {
        if (classifyKakaoFailure(err) === 'not-found') return undefined;
        throw err;
      }
    },
    async updateGuestEvent(eventId, event) {
      await client.updateGuestEvent({ eventId, event });
    },
    async getTaskRecords(taskId, from, to) {
      return (await client.getTaskRecords({ taskId, from, to })).records ?? [];
    },
  };
}
