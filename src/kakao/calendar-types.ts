// Wire models of calendars (talk-calendar-rest-api.txt): the user's list, sub-calendars, and the
// subscribable calendars of the admin key.
import type { KakaoColor } from './wire-constants.js';

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
