// The emulator's catalogue of subscribable calendars (Kakao publishes these on request; the
// emulator ships two, each with one weekly recurring and one one-time event).
import type { StoredEvent, SubscribableCalendar } from './model.js';

function weekly(id: string, calendarId: string, title: string, startAt: string, hours: number): StoredEvent {
  const start = new Date(startAt);
  return {
    id,
    calendarId,
    type: 'SUBSCRIBE',
    foreign: false,
    title,
    time: {
      start,
      end: new Date(start.getTime() + hours * 3_600_000),
      timeZone: 'Asia/Seoul',
      allDay: false,
      lunar: false,
    },
    rrule: 'FREQ=WEEKLY;UNTIL=20271231T000000Z',
    exdates: new Set(),
    overrides: new Map(),
    createdAt: start,
    updatedAt: start,
  };
}

export function builtInSubscribables(now: Date): SubscribableCalendar[] {
  const baseball = 'subscribe_65f0000000000000000000b1';
  const concerts = 'subscribe_65f0000000000000000000c1';
  const final: StoredEvent = {
    ...weekly('65f00000000000000000e0b2', baseball, 'Korean Series final', '2026-10-31T09:00:00Z', 4),
  };
  delete final.rrule;
  return [
    {
      id: baseball,
      name: 'KBO baseball (emulator)',
      color: 'NAVY_BLUE',
      category: '스포츠',
      subcategory: '야구',
      description: 'Weekly games',
      profileImageUrl: 'https://example.invalid/kbo.png',
      events: [
        weekly('65f00000000000000000e0b1', baseball, 'Weekend game', '2024-01-06T09:00:00Z', 3),
        final,
      ],
    },
    {
      id: concerts,
      name: 'Concerts (emulator)',
      color: 'MAGENTA',
      category: '카카오',
      description: 'Monthly concert night',
      profileImageUrl: 'https://example.invalid/concerts.png',
      events: [
        {
          ...weekly('65f00000000000000000e0c1', concerts, 'Concert night', '2024-01-05T11:00:00Z', 2),
          createdAt: now,
        },
      ],
    },
  ];
}
