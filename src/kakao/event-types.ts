// Wire models of user events (talk-calendar-rest-api.txt): create, edit, list, details, guest edit.
import type { KakaoColor } from './wire-constants.js';

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

/** Body of "Edit event for attendee" (`event=` JSON); at least one field. */
export interface EventGuest {
  reminders?: number[] | null;
  color?: KakaoColor;
  memo?: string;
}
