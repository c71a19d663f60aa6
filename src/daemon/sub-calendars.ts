import type { KakaoUserClient } from '../kakao/client.js';
import { type KakaoColor, kakaoLimits } from '../kakao/types.js';
import type { Link } from '../model/link.js';
import type { QuotaGate } from '../model/quota.js';
import { SubCalendarLimitError } from '../registry/errors.js';
import type { LinkStore } from '../registry/link-store.js';

// A link to a new sub-calendar creates it on its first sync, named by the link and coloured like the
// source collection when the source says (CalDAV calendar-color). A calendar of the same name that a
// crashed earlier run created is adopted instead of making a second one.

/** The source collection's colour, if it has one (failures mean "no colour", never a failed sync). */
export type SourceColour = (link: Link) => Promise<KakaoColor | undefined>;

export async function ensureSubCalendars(
  userId: string,
  links: Link[],
  kakao: Pick<KakaoUserClient, 'listCalendars' | 'createCalendar'>,
  store: Pick<LinkStore, 'setSubCalendarId'>,
  quota: QuotaGate,
  dryRun: boolean,
  colourOf: SourceColour = async () => undefined,
): Promise<Link[]> {
  const pending = links.filter((l) => l.target.kind === 'sub-calendar' && !l.target.calendarId);
  if (pending.length === 0 || dryRun) return links;
  await quota.acquire(userId, 'write', 1);
  const existing = (await kakao.listCalendars()).calendars ?? [];
  const byName = new Map(existing.filter((c) => c.name).map((c) => [c.name as string, c.id]));
  const created = new Map<string, string>();
  const out: Link[] = [];
  for (const link of links) {
    if (link.target.kind !== 'sub-calendar' || link.target.calendarId) {
      out.push(link);
      continue;
    }
    const name = link.target.name.slice(0, kakaoLimits.calendarNameMax);
    let calendarId = created.get(name) ?? byName.get(name);
    if (!calendarId) {
      const ours = new Set([
        ...created.values(),
        ...links.flatMap((l) =>
          l.target.kind === 'sub-calendar' && l.target.calendarId ? [l.target.calendarId] : [],
        ),
      ]);
      if (ours.size >= kakaoLimits.subCalendarsPerService)
        throw new SubCalendarLimitError(userId, kakaoLimits.subCalendarsPerService);
      await quota.acquire(userId, 'write', 1);
      const color = await colourOf(link).catch(() => undefined);
      calendarId = await kakao.createCalendar({ name, ...(color ? { color } : {}) });
    }
    created.set(name, calendarId);
    await store.setSubCalendarId(userId, link.id, calendarId);
    out.push({ ...link, target: { ...link.target, calendarId } });
  }
  return out;
}
