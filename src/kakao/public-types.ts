// Wire models of the app's public events and of the holiday list (admin key; talk-calendar-rest-api.txt).

import type { KakaoLink, KakaoLocation, KakaoTime } from './event-types.js';
import type { KakaoColor } from './wire-constants.js';

/** The documented custom button names ('Watch', 'Ticketing', 'Reserve', 'Join', 'Details'). */
export const publicButtonTitles = ['시청하기', '예매하기', '예약하기', '참여하기', '상세보기'] as const;
export type PublicButtonTitle = (typeof publicButtonTitles)[number];

export interface KakaoButton {
  /** One of `publicButtonTitles`; default 공유하기 (Share). */
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

export interface EventSpecial {
  id: string;
  title: string;
  time: KakaoTimeDefault;
  holiday: boolean;
}

export interface HolidayList {
  events: EventSpecial[];
}
