import { KakaoClient, type KakaoUserClient } from '../kakao/client.js';
import { KakaoNotFoundError } from '../kakao/errors.js';
import { kakaoLimits } from '../kakao/types.js';
import { chargeRequest, withinGrant } from '../model/granted-call.js';
import type { Link } from '../model/link.js';
import { InvalidRegistryInputError, LinkNotFoundError } from '../registry/errors.js';
import type { LeftCalendar, PublicLink } from '../registry/link-store.js';
import { registryTokenStore } from '../registry/token-store.js';
import type { DaemonContext } from './context.js';
import { CalendarNotDeletableError } from './errors.js';

// A link's sub-calendar follows the link (CLI `talkcal links rename|rm`, admin API PATCH/DELETE):
// renaming the link renames the calendar in Talk Calendar; removing the link deletes the calendar
// only when asked and only when the daemon created it, else leaves it and says so. Kakao calls go
// through the quota governor as writes; Talk Calendar is changed before the registry, so a failed
// call leaves the link as it was.

const linkNameMax = 100;

export interface LinkRemoval {
  removed: boolean;
  /** The link's sub-calendar: deleted with it, or left in Talk Calendar. */
  calendar?: { id: string; name?: string; deleted: boolean };
  /** One line for people: what happened to the link and its calendar. */
  message: string;
}

function userClient(ctx: DaemonContext, userId: string): KakaoUserClient {
  const client = new KakaoClient(ctx.config.kakao, {
    now: () => ctx.clock.now().getTime(),
    beforeRequest: (request) => chargeRequest(request),
    onCall: (record) => ctx.metrics.kakaoCalls.inc({ endpoint: record.endpoint, outcome: record.outcome }),
  });
  return client.forUser(userId, registryTokenStore(ctx.registry.users, userId));
}

/** One Kakao write for `userId`, granted by the governor and charged per HTTP request. */
async function write<T>(ctx: DaemonContext, userId: string, call: () => Promise<T>): Promise<T> {
  await ctx.governor.acquire(userId, 'write', 1);
  return withinGrant(ctx.governor, userId, 'write', call);
}

/** Renames the sub-calendar in Talk Calendar (one write through the governor). */
export async function renameCalendar(ctx: DaemonContext, userId: string, calendarId: string, name: string) {
  const kakao = userClient(ctx, userId);
  await write(ctx, userId, () => kakao.updateCalendar({ calendarId, name }));
}

/** The new name, refused at once when Talk Calendar (or the link) could not take it. */
export function checkedName(link: Link, raw: unknown): string {
  const max = link.target.kind === 'sub-calendar' ? kakaoLimits.calendarNameMax : linkNameMax;
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (name === '' || name.length > max) {
    throw new InvalidRegistryInputError(
      `link ${link.id}: a new name must be 1 to ${max} characters` +
        (link.target.kind === 'sub-calendar' ? ' (the length Talk Calendar allows a calendar name)' : ''),
    );
  }
  return name;
}

export async function renameLink(
  ctx: DaemonContext,
  userId: string,
  linkId: string,
  rawName: unknown,
): Promise<{ link: PublicLink; calendarRenamed: boolean }> {
  const link = await ctx.registry.links.get(userId, linkId);
  const name = checkedName(link, rawName);
  const calendarId = link.target.kind === 'sub-calendar' ? link.target.calendarId : undefined;
  if (calendarId) await renameCalendar(ctx, userId, calendarId, name);
  return {
    link: await ctx.registry.links.rename(userId, linkId, name),
    calendarRenamed: Boolean(calendarId),
  };
}

/** Who else of the user's links fills `calendarId`. */
async function sharedWith(ctx: DaemonContext, userId: string, linkId: string, calendarId: string) {
  const links = await ctx.registry.links.getAll(userId);
  return links.find(
    (l) => l.id !== linkId && l.target.kind === 'sub-calendar' && l.target.calendarId === calendarId,
  );
}

async function deleteCalendar(ctx: DaemonContext, userId: string, linkId: string, calendar: LeftCalendar) {
  const other = await sharedWith(ctx, userId, linkId, calendar.calendarId);
  if (other) throw new CalendarNotDeletableError(userId, linkId, calendar, `link ${other.id} still fills it`);
  const kakao = userClient(ctx, userId);
  try {
    await write(ctx, userId, () => kakao.deleteCalendar(calendar.calendarId));
  } catch (err) {
    // Already deleted in Talk Calendar: what was asked for holds.
    if (!(err instanceof KakaoNotFoundError)) throw err;
  }
}

const named = (c: LeftCalendar) => (c.name ? `"${c.name}" (${c.calendarId})` : c.calendarId);

/**
 * Removes a link. Its sub-calendar is deleted with `deleteCalendar` when the daemon created it;
 * otherwise it stays in Talk Calendar and is remembered, so a later `--delete-calendar` can still
 * delete it. A link already removed whose calendar was left: `deleteCalendar` deletes that calendar.
 */
export async function removeLink(
  ctx: DaemonContext,
  userId: string,
  linkId: string,
  options: { deleteCalendar?: boolean } = {},
): Promise<LinkRemoval> {
  const links = ctx.registry.links;
  const link = await links.get(userId, linkId).catch((err: unknown) => {
    if (err instanceof LinkNotFoundError) return undefined;
    throw err;
  });
  if (!link) return removeLeftCalendar(ctx, userId, linkId, options);
  const target = link.target.kind === 'sub-calendar' ? link.target : undefined;
  if (!target?.calendarId) {
    await links.remove(userId, linkId);
    return { removed: true, message: `link ${linkId} removed` };
  }
  const calendar: LeftCalendar = {
    calendarId: target.calendarId,
    ...(target.name ? { name: target.name } : {}),
  };
  if (options.deleteCalendar) {
    if (!target.createdByDaemon)
      throw new CalendarNotDeletableError(userId, linkId, calendar, 'talkcal-sync did not create it');
    await deleteCalendar(ctx, userId, linkId, calendar);
    await links.remove(userId, linkId);
    return {
      removed: true,
      calendar: { id: calendar.calendarId, ...(calendar.name ? { name: calendar.name } : {}), deleted: true },
      message: `link ${linkId} removed; calendar ${named(calendar)} deleted from Talk Calendar`,
    };
  }
  const shared = await sharedWith(ctx, userId, linkId, calendar.calendarId);
  if (target.createdByDaemon && !shared) await links.recordLeftCalendar(userId, linkId, calendar);
  await links.remove(userId, linkId);
  return {
    removed: true,
    calendar: { id: calendar.calendarId, ...(calendar.name ? { name: calendar.name } : {}), deleted: false },
    message: leftMessage(userId, linkId, calendar, shared?.id, target.createdByDaemon === true),
  };
}

function leftMessage(
  userId: string,
  linkId: string,
  calendar: LeftCalendar,
  sharedWithLink: string | undefined,
  ours: boolean,
): string {
  const head = `link ${linkId} removed; calendar ${named(calendar)} was left in Talk Calendar`;
  if (sharedWithLink) return `${head} (link ${sharedWithLink} still fills it)`;
  if (!ours) return `${head} (talkcal-sync did not create it)`;
  return `${head}; delete it with \`talkcal links rm ${userId} ${linkId} --delete-calendar\``;
}

async function removeLeftCalendar(
  ctx: DaemonContext,
  userId: string,
  linkId: string,
  options: { deleteCalendar?: boolean },
): Promise<LinkRemoval> {
  const left = options.deleteCalendar ? await ctx.registry.links.leftCalendar(userId, linkId) : undefined;
  if (!left) return { removed: false, message: `no link ${linkId}` };
  await deleteCalendar(ctx, userId, linkId, left);
  await ctx.registry.links.forgetLeftCalendar(userId, linkId);
  return {
    removed: false,
    calendar: { id: left.calendarId, ...(left.name ? { name: left.name } : {}), deleted: true },
    message: `calendar ${named(left)} that link ${linkId} left is deleted from Talk Calendar`,
  };
}
