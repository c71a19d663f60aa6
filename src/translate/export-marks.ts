// Marks our export leaves on what it writes, and the check import uses to recognise them: a lunar
// occurrence (X-TALKCAL-LUNAR:1, UID "<id>-lunar-<yyyyMMdd>") is a projection of one Kakao event and
// must never be imported back as a new event.

import type { SourceItem } from '../sources/storage.js';
import { type ParsedComponent, parseComponents, prop } from './parse.js';

const lunarUid = /-lunar-\d{8}(?:@talkcal-sync)?$/;

/** The item is one occurrence of a Kakao lunar event that we exported: skip it on import. */
export function isExportedLunarOccurrence(item: SourceItem): boolean {
  return lunarUid.test(item.uid) && hasLunarMark(item.uid, parseComponents(item.ics).events);
}

/** The same check on an item already parsed: its UID and its VEVENTs. */
export function hasLunarMark(uid: string, events: ParsedComponent[]): boolean {
  return lunarUid.test(uid) && events.some((e) => prop(e, 'X-TALKCAL-LUNAR')?.value.trim() === '1');
}

/** The Kakao event id an exported VEVENT came from (X-TALKCAL-KAKAO-ID), if any. */
export function exportedKakaoId(item: SourceItem): string | undefined {
  for (const e of parseComponents(item.ics).events) {
    const id = prop(e, 'X-TALKCAL-KAKAO-ID')?.value.trim();
    if (id) return id;
  }
  return undefined;
}
