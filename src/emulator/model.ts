// What the emulator stores. Times are kept as Dates; wire shapes are produced by event-view.ts.
import type { EventType, KakaoColor, KakaoLocation, TaskDueInfo } from '../kakao/types.js';

export interface EventTime {
  start: Date;
  end: Date;
  timeZone: string;
  allDay: boolean;
  lunar: boolean;
}

/** Fields a THIS edit may change on one instance. */
export interface InstanceOverride {
  title?: string;
  time?: EventTime;
  description?: string;
  location?: KakaoLocation;
}

export interface StoredEvent {
  id: string;
  calendarId: string;
  type: EventType;
  /** Created by another app: listed with only `time`, otherwise invisible. */
  foreign: boolean;
  title: string;
  time: EventTime;
  rrule?: string;
  description?: string;
  location?: KakaoLocation;
  /** Undefined: the calendar default applies (none is stored). */
  reminders?: number[];
  color?: KakaoColor;
  memo?: string;
  /** Instance keys (yyyyMMddTHHmmssZ of the original start) deleted with THIS. */
  exdates: Set<string>;
  /** Instance key → the instance's THIS edits. */
  overrides: Map<string, InstanceOverride>;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredCalendar {
  id: string;
  name: string;
  color: KakaoColor;
  reminder?: number;
  reminderAllDay?: number;
  /** Created through this app (editable/deletable by it). */
  ownedByApp: boolean;
}

/** A user's own edits of a public or subscribed event (Edit event for attendee). */
export interface GuestEdits {
  calendarId?: string;
  color?: KakaoColor;
  memo?: string;
  reminders?: number[];
}

export interface StoredTask {
  id: string;
  content: string;
  bookmark: boolean;
  completed: boolean;
  isEnded: boolean;
  dueInfo?: TaskDueInfo;
  /** First due date of a recurring task: its RRULE's DTSTART (COUNT counts from here). */
  recurAnchor?: string;
  /** yyyyMMdd → completed on that date (My Challenge Record). */
  records: Map<string, boolean>;
  updatedAt: Date;
  /** Increases with every create/edit across tasks: "most recently edited" order. */
  editSeq: number;
}

/** A public event of the app's channel; `event.type` is PUBLIC and it never recurs. */
export interface PublicEvent {
  event: StoredEvent;
  channelPublicId: string;
  notificationMessage?: unknown;
}

export interface SubscribableCalendar {
  id: string;
  name: string;
  color: KakaoColor;
  category: string;
  subcategory?: string;
  description: string;
  profileImageUrl: string;
  events: StoredEvent[];
}

/** A user's relationship with a Talk Channel; absent = NONE. */
export interface ChannelRelationState {
  relation: 'ADDED' | 'BLOCKED';
  /** When the user added the channel (ADDED only). */
  addedAt?: Date;
  updatedAt: Date;
}

/** A customer file of a channel (Talk Channel customer management). */
export interface CustomerFile {
  id: number;
  name: string;
  schema: Record<string, 'string' | 'number'>;
  updatedAt: Date;
  /** `${user_type}:${id}` → the values given for the schema. */
  users: Map<string, Record<string, string | number>>;
}

/** A Kakao Talk Channel connected to the emulated app. */
export interface EmulatorChannel {
  publicId: string;
  /** The search id shown as channel_uuid (e.g. "@emulator"). */
  uuid: string;
  /** User id → relationship. */
  relations: Map<string, ChannelRelationState>;
  files: Map<number, CustomerFile>;
}
