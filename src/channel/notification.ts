import type { KakaoNotificationMessage } from '../kakao/public-types.js';
import type { ChannelButton, ChannelTarget } from '../model/channel-target.js';
import type { DesiredEventItem, DesiredItem } from '../model/desired.js';

// A channel link's buttons → the `notification_message` of its public events, and the desired
// items that carry it, so a change of buttons changes every item's hash and updates its event.

function wireButton(button: ChannelButton) {
  return {
    button: {
      title: button.title,
      link: {
        ...(button.webUrl ? { web_url: button.webUrl } : {}),
        ...(button.mobileWebUrl ? { mobile_web_url: button.mobileWebUrl } : {}),
      },
    },
  };
}

/** The message every public event of the link gets; undefined when the link sets no button. */
export function notificationMessageOf(target: ChannelTarget): KakaoNotificationMessage | undefined {
  const b = target.buttons;
  if (!b || (b.before === undefined && b.after === undefined && b.display === undefined)) return undefined;
  return {
    ...(b.display !== undefined ? { display_custom_button: b.display } : {}),
    ...(b.before ? { before_event_reminder: wireButton(b.before) } : {}),
    ...(b.after ? { after_event_reminder: wireButton(b.after) } : {}),
  };
}

/** An event unit as a channel link wants it: with the link's notification message. */
export type ChannelEvent = DesiredEventItem['units'][number]['event'] & {
  notification_message?: KakaoNotificationMessage;
};

/** Adds the link's message to every unit (for hashing; the port sends the link's own). */
export function withNotificationMessage(target: ChannelTarget, item: DesiredItem): DesiredItem {
  const message = notificationMessageOf(target);
  if (!message || item.kind !== 'event') return item;
  return {
    ...item,
    units: item.units.map((u) => ({
      ...u,
      event: { ...u.event, notification_message: message } as ChannelEvent,
    })),
  };
}
