import type { EventCreate } from '../../kakao/types.js';
import type { ItemMapping } from './mapping.js';

// The snapshot stores our own events by reference: the event of an own entry is the one its link's
// mapping holds for that Kakao id (written once, in the mapping). This is the lookup readers resolve
// those references with.

/** The event a link's mapping holds for a Kakao id, if it still maps that id. */
export type OwnEvents = (linkId: string, kakaoId: string) => EventCreate | undefined;

export function ownEventsOf(links: Iterable<readonly [string, Iterable<ItemMapping>]>): OwnEvents {
  const byLink = new Map<string, Map<string, EventCreate>>();
  for (const [linkId, items] of links) {
    const events = new Map<string, EventCreate>();
    for (const item of items)
      for (const u of Object.values(item.units)) if (u.kakaoId && u.event) events.set(u.kakaoId, u.event);
    byLink.set(linkId, events);
  }
  return (linkId, kakaoId) => byLink.get(linkId)?.get(kakaoId);
}
