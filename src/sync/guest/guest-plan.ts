import type { EventDetail, EventGuest } from '../../kakao/types.js';
import type { ConflictPolicy } from '../../model/link.js';
import { type GuestFields, type GuestKind, type GuestVersion, guestChanges } from './guest-ics.js';

// What to do with one guest event of a two-way CalDAV link (pure). Talk Calendar owns everything
// but the guest fields: a CalDAV change to reminders, colour or memo is sent with
// update/event/guest; a change to anything else cannot reach Kakao, so it is reverted (the item
// rewritten to Kakao's version) when the link's conflict policy is kakao-wins, and kept in CalDAV
// only otherwise. A change in Talk Calendar (the channel's or the subscribed calendar's edit)
// always rewrites the CalDAV item; an item deleted in CalDAV is written again.

export interface GuestRecord {
  kakaoId: string;
  kind: GuestKind;
  /** Where the item lives in the collection and the version we last wrote or accepted. */
  href?: string;
  etag?: string;
  /** Start of the event (first instance listed), to know which listing should show it. */
  start: string;
  recurring: boolean;
  /** Kakao's details as last read (guest changes applied). */
  detail: EventDetail;
  /** Hash of the list fields Kakao showed: a change means the details must be read again. */
  briefHash: string;
  /** The version last written to (or accepted from) CalDAV. */
  written: GuestVersion;
}

export type GuestStep =
  | { op: 'write' }
  | { op: 'push'; change: EventGuest }
  | { op: 'accept' }
  | { op: 'remove' };

export interface GuestSituation {
  record?: GuestRecord;
  /** Kakao's current version, when its details were read this run. */
  kakao?: GuestVersion;
  /** The CalDAV item as changed since the record ('deleted': gone from the collection). */
  caldav?: GuestVersion | 'deleted';
  /** A listing that should have shown the event did not: unfollowed or unsubscribed. */
  gone: boolean;
  policy: ConflictPolicy;
}

export interface GuestDecision {
  steps: GuestStep[];
  /** A host field changed in CalDAV and kept there (not in Talk Calendar). */
  keptHostEdit: boolean;
}

const sameGuest = (a: GuestFields, b: GuestFields) => guestChanges(a, b) === undefined;

export function decideGuest(s: GuestSituation): GuestDecision {
  const none = { steps: [], keptHostEdit: false };
  if (s.gone) return s.record ? { steps: [{ op: 'remove' }], keptHostEdit: false } : none;
  if (!s.record) return s.kakao ? { steps: [{ op: 'write' }], keptHostEdit: false } : none;
  const written = s.record.written;
  const kakaoChanged =
    s.kakao !== undefined && (s.kakao.host !== written.host || !sameGuest(s.kakao.guest, written.guest));
  if (s.caldav === 'deleted' || (s.record.href === undefined && s.caldav === undefined)) {
    return { steps: [{ op: 'write' }], keptHostEdit: false };
  }
  if (!s.caldav) return kakaoChanged ? { steps: [{ op: 'write' }], keptHostEdit: false } : none;
  const steps: GuestStep[] = [];
  const change = guestChanges(written.guest, s.caldav.guest);
  if (change) steps.push({ op: 'push', change });
  const hostEdited = s.caldav.host !== written.host;
  const revert = hostEdited && (s.policy === 'kakao-wins' || kakaoChanged);
  if (revert || kakaoChanged) steps.push({ op: 'write' });
  else steps.push({ op: 'accept' });
  return { steps, keptHostEdit: hostEdited && !revert };
}
