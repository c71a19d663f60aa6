// Wire models of tasks (v1, talk-calendar-rest-api.txt): create, list, records, edit.

export interface TaskRecur {
  rrule?: string;
  record_on?: boolean;
  /** Answers of "Retrieve task" also carry it inside recur (documented sample). */
  is_ended?: boolean;
}

export interface TaskDueInfo {
  /** yyyyMMdd; never in the past when creating. */
  due_date: string;
  time_zone?: string;
  /** HHmm on the 5-minute grid. */
  alarm_time?: string;
  recur?: TaskRecur;
}

/** Body of "Create task" (`task=` JSON). */
export interface TaskCreate {
  content: string;
  due_info?: TaskDueInfo;
}

export type TaskStatus = 'SCHEDULED' | 'COMPLETED' | 'DELAYED';

/** One task as "Retrieve task" answers it. */
export interface Task {
  task_id: string;
  content: string;
  status: TaskStatus;
  bookmark: boolean;
  authorized: boolean;
  due_info?: TaskDueInfo;
  is_ended?: boolean;
}

export type TaskStatusFilter = 'COMPLETED' | 'TODO' | 'ALL';
export type TaskFilter = 'authorized' | 'bookmark';

/** The list answer. The table names the array `task`; the sample shows `tasks`. */
export interface TaskListPage {
  tasks?: Task[];
  task?: Task[];
  count: number;
  has_next: boolean;
  after_url?: string;
}

/** Recurrence of a listed task; `is_ended` is true once its last occurrence is done. */
export interface TaskRecurInfo extends TaskRecur {
  is_ended?: boolean;
}

export interface TaskRecord {
  /** yyyyMMdd. */
  date: string;
  complete: boolean;
}

/** "Check challenge record". */
export interface TaskRecords {
  records?: TaskRecord[];
  /** yyyyMM. */
  start_at?: string;
  /** yyyyMM. */
  end_at?: string;
}

/** Body of "Edit task" (`task=` JSON). null deletes (due_info, recur, alarm_time). */
export interface TaskUpdate {
  content?: string;
  bookmark?: boolean;
  due_info?: TaskDueInfoUpdate | null;
}

export interface TaskDueInfoUpdate {
  due_date?: string;
  time_zone?: string;
  alarm_time?: string | null;
  recur?: TaskRecur | null;
}
