import type { KakaoAdminClient } from '../kakao/client.js';
import type {
  EventBrief,
  EventCreate,
  EventDetail,
  EventPublic,
  EventPublicBrief,
  EventPublicDetail,
  EventUpdate,
  EventUpdatePublic,
  KakaoNotificationMessage,
  RecurUpdateType,
} from '../kakao/types.js';
import type { ChannelTarget } from '../model/channel-target.js';
import type { KakaoPort } from '../sync/kakao-port.js';
import { PublicEventUnsupportedError } from './errors.js';
import { notificationMessageOf } from './notification.js';

// The sync engine's view of Kakao for a channel link: the public events of the service's Talk
// Channel, written and read with the admin key. The same planner, mapping store, quarantine,
// guards and quota governor drive it as any user link; only the calls differ.

type PublicEventsApi = Pick<
  KakaoAdminClient,
  'createPublicEvent' | 'updatePublicEvent' | 'deletePublicEvent' | 'getPublicEvent' | 'listPublicEvents'
>;

function refuseRecurrence(what: string, recurUpdateType?: RecurUpdateType, rrule?: string): void {
  if (recurUpdateType !== undefined || (rrule !== undefined && rrule !== '')) {
    throw new PublicEventUnsupportedError(
      `${what}: public events cannot recur; the channel link expands recurrences into single events`,
    );
  }
}

/** The public event a desired event becomes (public events have no rrule and no memo). */
export function toPublicEvent(
  event: EventCreate,
  message: KakaoNotificationMessage | undefined,
): EventPublic {
  refuseRecurrence('create', undefined, event.rrule);
  return {
    title: event.title,
    time: event.time,
    ...(event.description !== undefined ? { description: event.description } : {}),
    ...(event.location !== undefined ? { location: event.location } : {}),
    ...(event.reminders !== undefined ? { reminders: event.reminders } : {}),
    ...(event.color !== undefined ? { color: event.color } : {}),
    ...(message ? { notification_message: message } : {}),
  };
}

export function toPublicUpdate(
  update: EventUpdate,
  message: KakaoNotificationMessage | undefined,
): EventUpdatePublic {
  const { rrule, ...fields } = update;
  refuseRecurrence('update', undefined, rrule);
  return { ...fields, ...(message ? { notification_message: message } : {}) };
}

/** A public list entry as the engine reads list entries: ours, never recurring. */
export function briefOf(event: EventPublicBrief, channelPublicId: string): EventBrief {
  return {
    id: event.id,
    title: event.title,
    type: 'PUBLIC',
    calendar_id: channelPublicId,
    is_host: true,
    time: event.time,
    is_recur_event: false,
    ...(event.color ? { color: event.color } : {}),
  };
}

export function detailOf(event: EventPublicDetail, channelPublicId: string): EventDetail {
  return {
    id: event.id,
    title: event.title,
    type: 'PUBLIC',
    calendar_id: channelPublicId,
    time: event.time,
    is_host: true,
    is_recur_event: false,
    ...(event.description !== undefined ? { description: event.description } : {}),
    ...(event.location !== undefined ? { location: event.location } : {}),
    ...(event.reminders !== undefined ? { reminders: event.reminders } : {}),
    ...(event.color !== undefined ? { color: event.color } : {}),
  };
}

function noTasks(): never {
  throw new PublicEventUnsupportedError(
    'a channel link has no tasks: link a CalDAV event collection or a feed',
  );
}

export function publicEventPort(admin: PublicEventsApi, target: ChannelTarget): KakaoPort {
  const channelPublicId = target.channelPublicId;
  const message = notificationMessageOf(target);
  return {
    createEvent: (_calendarId, event) =>
      admin.createPublicEvent({ channelPublicId, event: toPublicEvent(event, message) }),
    async updateEvent(eventId, update, recurUpdateType) {
      refuseRecurrence(`update ${eventId}`, recurUpdateType);
      await admin.updatePublicEvent({ channelPublicId, eventId, event: toPublicUpdate(update, message) });
    },
    async deleteEvent(eventId, recurUpdateType) {
      refuseRecurrence(`delete ${eventId}`, recurUpdateType);
      await admin.deletePublicEvent({ channelPublicId, eventId });
    },
    getEvent: async (eventId) =>
      detailOf(await admin.getPublicEvent({ channelPublicId, eventId }), channelPublicId),
    async listEventsWindow(_calendarId, from, to) {
      const events = await admin.listPublicEvents({ channelPublicId, from, to });
      return events.map((e) => briefOf(e, channelPublicId));
    },
    createTask: noTasks,
    updateTask: noTasks,
    completeTask: noTasks,
    deleteTask: noTasks,
  };
}
