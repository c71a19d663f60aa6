import type { KakaoUserClient } from '../kakao/client.js';
import { type KakaoColor, kakaoLimits } from '../kakao/types.js';
import { withinGrant } from '../model/granted-call.js';
import type { Link } from '../model/link.js';
import type { QuotaGate } from '../model/quota.js';
import { SubCalendarLimitError } from '../registry/errors.js';
import type { LinkStore } from '../registry/link-store.js';

// A link to a new sub-calendar creates it on its first sync, named by the link (or, when the link
// gives no name, by the source collection) and coloured like the source collection when the source
// says (CalDAV calendar-color, a feed's X-APPLE-CALENDAR-COLOR or COLOR). A calendar of the same name
// that a crashed earlier run created is adopted instead of making a second one. A calendar created
// here is recorded as empty on the link's state, so its first sync does not list it window by window.

/** The source collection's name and colour, when it has them. */
export type SourceCalendar = (link: Link) => Promise<{ name?: string; color?: KakaoColor }>;

/** Where the outcome is recorded. */
export interface SubCalendarRecords extends Pick<LinkStore, 'setSubCalendarId'> {
  /** The link's calendar was created just now (it is empty): its first sync need not list it. */
  calendarCreated?: (userId: string, linkId: string) => Promise<unknown>;
}

export async function ensureSubCalendars(
  userId: string,
  links: Link[],
  kakao: Pick<KakaoUserClient, 'listCalendars' | 'createCalendar'>,
  store: SubCalendarRecords,
  quota: QuotaGate,
  dryRun: boolean,
  sourceCalendar: SourceCalendar = async () => ({}),
): Promise<Link[]> {
  const pending = links.filter((l) => l.target.kind === 'sub-calendar' && !l.target.calendarId);
  if (pending.length === 0 || dryRun) return links;
  await quota.acquire(userId, 'write', 1);
  const existing = (await withinGrant(quota, userId, 'write', () => kakao.listCalendars())).calendars ?? [];
  const byName = new Map(existing.filter((c) => c.name).map((c) => [c.name as string, c.id]));
  const created = new Map<string, string>();
  /** Calendars made by this call (a link sharing one with an earlier link of this run is marked too). */
  const createdNow = new Set<string>();
  const out: Link[] = [];
  for (const link of links) {
    if (link.target.kind !== 'sub-calendar' || link.target.calendarId) {
      out.push(link);
      continue;
    }
    // Failures to read the source's looks mean "no name, no colour", never a failed sync.
    let looks: Awaited<ReturnType<SourceCalendar>> | undefined;
    const looksOf = async () => {
      looks ??= await sourceCalendar(link).catch(() => ({}));
      return looks;
    };
    const wanted = link.target.name ?? (await looksOf()).name ?? link.name ?? link.id;
    const name = wanted.slice(0, kakaoLimits.calendarNameMax);
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
      const { color } = await looksOf();
      calendarId = await withinGrant(quota, userId, 'write', () =>
        kakao.createCalendar({ name, ...(color ? { color } : {}) }),
      );
      createdNow.add(calendarId);
    }
    created.set(name, calendarId);
    await store.setSubCalendarId(userId, link.id, calendarId);
    if (createdNow.has(calendarId)) await store.calendarCreated?.(userId, link.id);
    out.push({ ...link, target: { ...link.target, calendarId } });
  }
  return out;
}
