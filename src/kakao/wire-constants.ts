// Documented constants of the Kakao Talk Calendar REST API: the event colours and the limits
// that both the translators and the emulator enforce.

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
