// Wire models of the Kakao Talk Calendar REST API, field for field as documented in
// talk-calendar-rest-api.txt. Shared by the client, the emulator, the translators and the publisher.

export const kakaoColors = {
  BLUE: '2C88DE',
  ROYAL_BLUE: '2D69E0',
  NAVY_BLUE: '223788',
  RED: 'D42726',
  PINK: 'ED5683',
  ORANGE: 'FF9429',
  GREEN: '149959',
  LIME: '7CB343',
  OLIVE: 'A4AD15',
  MINT: '5CC5BE',
  MAGENTA: 'AB47BC',
  VIOLET: '8A4B9B',
  LAVENDER: '7986CB',
  BROWN: '945C1F',
  GRAY: '666666',
} as const;

export type KakaoColor = keyof typeof kakaoColors;

export const kakaoColorNames = Object.keys(kakaoColors) as KakaoColor[];

/** Documented limits that both the translators and the emulator enforce. */
export const kakaoLimits = {
  titleMax: 50,
  descriptionMax: 5000,
  memoMax: 5000,
  locationNameMax: 100,
  calendarNameMax: 50,
  taskContentMax: 1000,
  remindersMax: 2,
  reminderStep: 5,
  /** Timed events: 0 ≤ r ≤ 43200. */
  timedReminderMin: 0,
  reminderMax: 43200,
  /** All-day events: -1435 < r ≤ 43200. */
  allDayReminderExclusiveMin: -1435,
  listWindowDays: 31,
  listLimitMax: 1000,
  listLimitDefault: 100,
  publicListLimitMax: 30,
  subCalendarsPerService: 3,
  subCalendarsTotal: 99,
  gridMinutes: 5,
} as const;

export type RecurUpdateType = 'ALL' | 'THIS' | 'THIS_AND_FOLLOWING';

export type EventType = 'USER' | 'PUBLIC' | 'SUBSCRIBE';

/** Time of an event. start_at/end_at are UTC "YYYY-MM-DDThh:mm:ssZ" on the 5-minute grid. */
export interface KakaoTime {
  start_at: string;
  end_at: string;
  /** IANA zone, default Asia/Seoul. */
  time_zone?: string;
  /** When true, start_at and end_at must be at 00:00:00Z. */
  all_day?: boolean;
  lunar?: boolean;
}

export interface KakaoLocation {
  name: string;
  location_id?: number;
  address?: string;
  latitude?: number;
  longitude?: number;
}

/** Body of "Create event" (`event=` JSON). */
export interface EventCreate {
  title: string;
  time: KakaoTime;
  rrule?: string;
  description?: string;
  location?: KakaoLocation;
  /** At most two, multiples of 5. [] = no reminder; omitted = the calendar's default. */
  reminders?: number[];
  color?: KakaoColor;
}

/** Body of "Edit event for host" (`event=` JSON). Empty string deletes a string field. */
export interface EventUpdate {
  title?: string;
  time?: KakaoTime;
  rrule?: string;
  description?: string;
  location?: KakaoLocation | null;
  reminders?: number[] | null;
  color?: KakaoColor;
}

/** One entry of "Retrieve list of events". For events of other apps, only `time` is present. */
export interface EventBrief {
  id?: string;
  title?: string;
  type?: EventType;
  calendar_id?: string;
  is_host?: boolean;
  time: KakaoTime;
  is_recur_event?: boolean;
  color?: KakaoColor;
}

export interface KakaoLink {
  web_url?: string;
  mobile_web_url?: string;
}

export interface KakaoBanner {
  pc_image_url?: string;
  mobile_image_url?: string;
  bg_color?: string | null;
  link?: KakaoLink;
}

/** "Retrieve details of event". */
export interface EventDetail {
  id: string;
  title: string;
  type: EventType;
  calendar_id: string;
  time: KakaoTime;
  is_host: boolean;
  is_recur_event?: boolean;
  rrule?: string;
  dt_start?: string;
  description?: string;
  location?: KakaoLocation;
  reminders?: number[];
  color?: KakaoColor;
  memo?: string;
  banner?: KakaoBanner;
}

export interface EventListPage {
  events: EventBrief[];
  has_next: boolean;
  after_url?: string;
}

// ---- Tasks (v1) ----

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

// ---- Calendars (appended by the client engineer) ----

export type CalendarFilter = 'ALL' | 'USER' | 'SUBSCRIBE';

/** My Calendar (`primary`) or a sub-calendar. Calendars of other services carry only `id`. */
export interface KakaoCalendar {
  id: string;
  name?: string;
  reminder?: number;
  reminder_all_day?: number;
  color?: KakaoColor;
}

/** A subscribed calendar in the user's list. */
export interface KakaoSubscribedCalendar {
  id: string;
  name?: string;
  color?: KakaoColor;
  reminder?: number;
  reminder_all_day?: number;
  description?: string;
  profile_image_url?: string;
  thumbnail_url?: string;
}

/** "Retrieve list of calendars". */
export interface CalendarList {
  calendars?: KakaoCalendar[];
  subscribe_calendars?: KakaoSubscribedCalendar[];
}

/** Body of "Create sub-calendar". */
export interface CalendarCreate {
  name: string;
  color?: KakaoColor;
  reminder?: number;
  reminder_all_day?: number;
}

/** Body of "Edit sub-calendar" (besides calendar_id); at least one field. */
export interface CalendarUpdate {
  name?: string;
  color?: KakaoColor;
  reminder?: number;
  reminder_all_day?: number;
}

// ---- Public events (admin key) ----

export interface KakaoButton {
  /** One of 시청하기, 예매하기, 예약하기, 참여하기, 상세보기; default 공유하기. */
  title?: string;
  link?: KakaoLink;
}

export interface KakaoEventReminder {
  button?: KakaoButton;
}

export interface KakaoNotificationMessage {
  display_custom_button?: boolean;
  before_event_reminder?: KakaoEventReminder;
  after_event_reminder?: KakaoEventReminder;
}

/** Body of "Create public event" (`event=` JSON). */
export interface EventPublic {
  title: string;
  time: KakaoTime;
  description?: string;
  location?: KakaoLocation;
  reminders?: number[];
  color?: KakaoColor;
  notification_message?: KakaoNotificationMessage;
}

/** Body of "Edit public event" (`event=` JSON); at least one field. */
export interface EventUpdatePublic {
  title?: string;
  time?: KakaoTime;
  description?: string;
  location?: KakaoLocation | null;
  reminders?: number[] | null;
  color?: KakaoColor;
  notification_message?: KakaoNotificationMessage;
}

/** Time as the public-event list and the holiday list answer it. */
export interface KakaoTimeDefault {
  start_at: string;
  end_at: string;
  all_day?: boolean;
}

export interface EventPublicBrief {
  id: string;
  title: string;
  type: 'PUBLIC';
  time: KakaoTimeDefault;
  color?: KakaoColor;
}

export interface PublicEventListPage {
  events: EventPublicBrief[];
  has_next: boolean;
  after_url?: string;
}

/** "Retrieve details of public event". */
export interface EventPublicDetail {
  id: string;
  title: string;
  type: 'PUBLIC';
  time: KakaoTime;
  reminders?: number[];
  location?: KakaoLocation;
  description?: string;
  color?: KakaoColor;
  notification_message?: KakaoNotificationMessage;
}

// ---- Subscribable calendars (admin key) ----

export interface SubscribableCalendar {
  id: string;
  name: string;
  profile_image_url?: string;
}

export interface SubscribableSubcategory {
  /** The table says `name`; the sample shows `subcategory_name`. */
  name?: string;
  subcategory_name?: string;
  calendars: SubscribableCalendar[];
}

export interface SubscribableCategory {
  /** The table says `name`; the sample shows `category_name`. */
  name?: string;
  category_name?: string;
  subcategories: SubscribableSubcategory[];
}

export interface SubscribableCalendarList {
  categories: SubscribableCategory[];
}

// ---- Guest edit ----

/** Body of "Edit event for attendee" (`event=` JSON); at least one field. */
export interface EventGuest {
  reminders?: number[] | null;
  color?: KakaoColor;
  memo?: string;
}

// ---- Holidays (admin key) ----

export interface EventSpecial {
  id: string;
  title: string;
  time: KakaoTimeDefault;
  holiday: boolean;
}

export interface HolidayList {
  events: EventSpecial[];
}

// ---- Tasks: list, records, update ----

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

// ---- OAuth (auth host) ----

/** Answer of POST /oauth/token (both grants). */
export interface OAuthTokenResponse {
  token_type: string;
  access_token: string;
  /** Seconds. */
  expires_in: number;
  /** Only when a new refresh token is issued (always for the code grant). */
  refresh_token?: string;
  /** Seconds. */
  refresh_token_expires_in?: number;
  id_token?: string;
  scope?: string;
}
