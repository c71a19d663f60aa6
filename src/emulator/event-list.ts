// "Retrieve list of events": every instance a user sees in a window (own events, followed public
// events, subscribed calendars), ordered by start then id, cut into pages.
import type { EventBrief } from '../kakao/types.js';
import { instanceId, instancesInWindow, toBrief } from './event-view.js';
import type { EmulatorState, EmulatorUser } from './state.js';

export interface ListedInstance {
  start: number;
  id: string;
  /** Built only for the entries of the page answered. */
  brief(): EventBrief;
}

export function listInstances(
  state: EmulatorState,
  user: EmulatorUser,
  calendarId: string | undefined,
  from: Date,
  to: Date,
): ListedInstance[] {
  const out: ListedInstance[] = [];
  const { single, recurring } = user.events.candidates(from, to);
  for (const set of [single, recurring]) {
    for (const event of set) {
      if (calendarId !== undefined && event.calendarId !== calendarId) continue;
      for (const inst of instancesInWindow(event, from, to)) {
        out.push({ start: inst.time.start.getTime(), id: instanceId(inst), brief: () => toBrief(inst) });
      }
    }
  }
  for (const [publicId, edits] of user.follows) {
    if (calendarId !== undefined && edits.calendarId !== calendarId) continue;
    const pe = state.publicEvents.get(publicId);
    if (!pe) continue;
    for (const inst of instancesInWindow(pe.event, from, to)) {
      out.push({ start: inst.time.start.getTime(), id: instanceId(inst), brief: () => toBrief(inst, edits) });
    }
  }
  for (const subId of user.subscriptions) {
    if (calendarId !== undefined && subId !== calendarId) continue;
    for (const event of state.subscribables.get(subId)?.events ?? []) {
      const edits = user.guestEdits.get(event.id);
      for (const inst of instancesInWindow(event, from, to)) {
        out.push({
          start: inst.time.start.getTime(),
          id: instanceId(inst),
          brief: () => toBrief(inst, edits),
        });
      }
    }
  }
  // Events of other apps have no id in the answer; they still need a stable place in the order.
  out.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

/** What a next_page_token carries (base64 of this JSON). */
export interface PageToken {
  f: string;
  t: string;
  l: number;
  o: number;
  c: string | null;
}

export function encodePageToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

export function decodePageToken(raw: string): PageToken | undefined {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Partial<PageToken>;
    if (
      typeof value.f === 'string' &&
      typeof value.t === 'string' &&
      typeof value.l === 'number' &&
      typeof value.o === 'number' &&
      (value.c === null || typeof value.c === 'string')
    ) {
      return value as PageToken;
    }
  } catch {
    // fall through: not a token of ours
  }
  return undefined;
}
