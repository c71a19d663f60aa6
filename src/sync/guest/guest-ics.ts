import { escapeText, unescapeText } from '../../ics/content-lines.js';
import type { EventDetail, EventGuest, EventType } from '../../kakao/types.js';
import type { DesiredItem } from '../../model/desired.js';
import { TalkcalError } from '../../model/errors.js';
import type { SourceItem } from '../../sources/storage.js';
import { line } from '../../translate/component-spec.js';
import { findComponents, firstProperty, parseTree } from '../../translate/ics-lines.js';
import { patchIcs } from '../../translate/ics-patch.js';
import { kakaoEventToVevents } from '../../translate/kakao-to-ical.js';
import { renderVevents } from '../../translate/render-vevents.js';
import { hashOf } from '../events/hash.js';

// A guest event (a followed public event or a subscribed event) as a CalDAV item of a two-way link:
// rendered from Kakao's details under a UID of its own, marked X-TALKCAL-GUEST so import never
// takes it for the user's event, with the user's memo as COMMENT (RFC 5545: a comment to the
// calendar user). Read back, it splits into what the guest API may change (reminders, colour,
// memo) and everything else (the host's, read-only).

export type GuestKind = Extract<EventType, 'PUBLIC' | 'SUBSCRIBE'>;

const uidSuffix = '@guest.talkcal-sync';
const guestMarker = 'X-TALKCAL-GUEST';

export const guestUid = (kakaoId: string) => `${kakaoId}${uidSuffix}`;

/** UIDs of the read-only mirror of holidays and subscribed calendars (publish/caldav-mirror.ts). */
export const mirrorUidSuffix = '@mirror.talkcal-sync';

/** Objects the daemon itself keeps in a collection (guest events, the mirror): never the user's items. */
export const isDaemonObject = (uid: string) => uid.endsWith(uidSuffix) || uid.endsWith(mirrorUidSuffix);

/** The Kakao event id of a guest item's UID, undefined for any other UID. */
export function guestIdOf(uid: string): string | undefined {
  return uid.endsWith(uidSuffix) ? uid.slice(0, -uidSuffix.length) : undefined;
}

export const isGuestKind = (type: EventType | undefined): type is GuestKind =>
  type === 'PUBLIC' || type === 'SUBSCRIBE';

/** The fields `update/event/guest` may change, as comparable values ('' / [] for none). */
export interface GuestFields {
  reminders: number[];
  color: string;
  memo: string;
}

/** One version of a guest item: the host's fields as a hash, the guest's fields in full. */
export interface GuestVersion {
  host: string;
  guest: GuestFields;
}

export interface RenderOptions {
  now: Date;
  zone: string;
  horizon: { from: Date; to: Date };
}

export function renderGuestItem(detail: EventDetail, kind: GuestKind, opts: RenderOptions): SourceItem {
  const uid = guestUid(detail.id);
  const specs = kakaoEventToVevents(detail, {
    horizon: opts.horizon,
    zone: opts.zone,
    otherApps: 'hide',
    uid,
  });
  const rendered = renderVevents(specs, { now: opts.now });
  const set = {
    [guestMarker]: [line(guestMarker, kind)],
    COMMENT: detail.memo ? [line('COMMENT', escapeText(detail.memo))] : [],
  };
  const ics = patchIcs(
    rendered,
    { component: 'VEVENT', uid, set },
    { now: opts.now, only: [guestMarker, 'COMMENT'] },
  ).ics;
  return { uid, kind: 'event', ics };
}

/** The memo (COMMENT) of a guest item's master VEVENT. */
export function memoOf(ics: string, uid: string): string {
  const master = findComponents(parseTree(ics), 'VEVENT').find(
    (c) => firstProperty(c, 'UID')?.value.trim() === uid && !firstProperty(c, 'RECURRENCE-ID'),
  );
  const comment = master ? firstProperty(master, 'COMMENT') : undefined;
  return comment ? unescapeText(comment.value) : '';
}

/** A translated guest item split into host hash and guest fields. */
export function versionOf(desired: DesiredItem, ics: string): GuestVersion {
  if (desired.kind !== 'event') return { host: hashOf(null), guest: { reminders: [], color: '', memo: '' } };
  const host = desired.units.map((u) => {
    const { reminders: _r, color: _c, ...rest } = u.event;
    return { unitKey: u.unitKey, event: rest, instances: u.instances };
  });
  const main = desired.units[0]?.event;
  return {
    host: hashOf(host),
    guest: {
      reminders: [...(main?.reminders ?? [])].sort((a, b) => a - b),
      color: main?.color ?? '',
      memo: memoOf(ics, desired.sourceKey),
    },
  };
}

/** The guest fields the user changed in CalDAV, as an `update/event/guest` body (undefined: none). */
export function guestChanges(before: GuestFields, after: GuestFields): EventGuest | undefined {
  const out: Record<string, unknown> = {};
  if (hashOf(before.reminders) !== hashOf(after.reminders)) out.reminders = after.reminders;
  if (before.color !== after.color) out.color = after.color;
  if (before.memo !== after.memo) out.memo = after.memo;
  return Object.keys(out).length > 0 ? (out as EventGuest) : undefined;
}

/** Kakao's details after a guest edit was accepted ('' deletes a string field, as the API does). */
export function withGuestChanges(detail: EventDetail, change: EventGuest): EventDetail {
  const out: EventDetail = { ...detail };
  if (change.reminders !== undefined) out.reminders = change.reminders ?? [];
  if (change.color !== undefined) {
    if (change.color) out.color = change.color;
    else delete out.color;
  }
  if (change.memo !== undefined) {
    if (change.memo) out.memo = change.memo;
    else delete out.memo;
  }
  return out;
}

/** Our own rendering of a Kakao event did not translate back: a bug, never the user's input. */
export class GuestRenderError extends TalkcalError {
  readonly scope = 'item';
  constructor(readonly kakaoId: string) {
    super(`guest event ${kakaoId}: its CalDAV rendering does not read back; report this as a bug`);
  }
}

/** A CalDAV edit of a guest event's host fields, kept in CalDAV only (conflict policy not kakao-wins). */
export class GuestHostEditKeptWarning extends TalkcalError {
  readonly scope = 'item';
  constructor(linkId: string, kakaoId: string) {
    super(
      `link ${linkId}: guest event ${kakaoId} was edited in CalDAV beyond reminders, colour and memo; ` +
        'kept in CalDAV only (a guest cannot change it in Talk Calendar); set conflict to kakao-wins to revert such edits',
    );
  }
}
