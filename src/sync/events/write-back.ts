import { escapeText } from '../../ics/content-lines.js';
import type { EventBrief, EventCreate } from '../../kakao/types.js';
import type { SourceItem } from '../../sources/storage.js';
import { line } from '../../translate/component-spec.js';
import { patchIcs } from '../../translate/ics-patch.js';
import { kakaoEventToVevents } from '../../translate/kakao-to-ical.js';
import { renderVevents } from '../../translate/render-vevents.js';
import type { DetailFields } from './plan-types.js';
import { normTime } from './projection.js';

export type WriteBack = (
  item: SourceItem,
  from: EventBrief,
  previous: EventCreate | undefined,
  now: Date,
  detail?: DetailFields,
) => string;

// Two-way write-back of what Kakao shows (the list's title and time, and the detail call's
// description and location when a detail check read them) into the source object, through the
// minimal patcher: only the properties Kakao actually changed are rewritten. For a recurring event
// the list shows an instance's time, so only the title is written back. Text goes in as written,
// escaped as TEXT (a line break, comma, semicolon or backslash of a Kakao title stays what it is).

const utc = (iso: string) => normTime(iso).replace(/[-:]/g, '');
const date = (iso: string) => normTime(iso).slice(0, 10).replace(/-/g, '');

export function writeBackBrief(
  item: SourceItem,
  from: EventBrief,
  previous: EventCreate | undefined,
  now: Date,
  detail?: DetailFields,
): string {
  const only: string[] = [];
  const set: Record<string, ReturnType<typeof line>[]> = {};
  if ((from.title ?? '') !== (previous?.title ?? '')) {
    only.push('SUMMARY');
    set['SUMMARY'] = [line('SUMMARY', escapeText(from.title ?? ''))];
  }
  const timeChanged =
    !from.is_recur_event &&
    (!previous ||
      normTime(previous.time.start_at) !== normTime(from.time.start_at) ||
      normTime(previous.time.end_at) !== normTime(from.time.end_at) ||
      (previous.time.all_day ?? false) !== (from.time.all_day ?? false));
  if (timeChanged) {
    only.push('DTSTART', 'DTEND');
    if (from.time.all_day) {
      set['DTSTART'] = [line('DTSTART', date(from.time.start_at), { VALUE: 'DATE' })];
      set['DTEND'] = [line('DTEND', date(from.time.end_at), { VALUE: 'DATE' })];
    } else {
      set['DTSTART'] = [line('DTSTART', utc(from.time.start_at))];
      set['DTEND'] = [line('DTEND', utc(from.time.end_at))];
    }
  }
  if (detail && detail.description !== (previous?.description ?? '')) {
    only.push('DESCRIPTION');
    set['DESCRIPTION'] = detail.description ? [line('DESCRIPTION', escapeText(detail.description))] : [];
  }
  if (detail && detail.location !== (previous?.location?.name ?? '')) {
    only.push('LOCATION');
    set['LOCATION'] = detail.location ? [line('LOCATION', escapeText(detail.location))] : [];
  }
  if (only.length === 0) return item.ics;
  const component = item.kind === 'todo' ? 'VTODO' : 'VEVENT';
  return patchIcs(item.ics, { component, uid: item.uid, set }, { now, only }).ics;
}

/** The event as recorded after accepting Kakao's detail-only fields. */
export function withDetail(event: EventCreate, detail: DetailFields): EventCreate {
  const { description: _d, location: _l, ...rest } = event;
  return {
    ...rest,
    ...(detail.description ? { description: detail.description } : {}),
    ...(detail.location ? { location: { ...event.location, name: detail.location } } : {}),
  };
}

/**
 * A new source object for an item the source deleted but Talk Calendar edited: Kakao's list fields
 * (title, and time unless recurring) over what we last wrote, under the item's UID.
 */
export function restoredIcs(uid: string, from: EventBrief, written: EventCreate, now: Date): string {
  const time = from.is_recur_event ? written.time : from.time;
  const event = {
    ...written,
    id: from.id ?? uid,
    title: from.title ?? written.title,
    time,
    type: 'USER' as const,
  };
  const horizon = {
    from: new Date(now.getTime() - 366 * 86_400_000),
    to: new Date(now.getTime() + 3 * 366 * 86_400_000),
  };
  const specs = kakaoEventToVevents(event, { horizon, zone: 'Asia/Seoul', otherApps: 'hide', uid });
  return renderVevents(specs, { now });
}
