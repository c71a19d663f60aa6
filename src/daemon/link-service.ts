import { isDeepStrictEqual } from 'node:util';
import type { Link } from '../model/link.js';
import type { PublicLink } from '../registry/link-store.js';
import { refuseBlockedFeedHost } from '../sources/ics-feed/link-host.js';
import { syncKeys } from '../sync/keys.js';
import { RedisMappingStore } from '../sync/redis-mapping-store.js';
import type { DaemonContext } from './context.js';

// Adding or replacing a link (admin API, CLI). A change of what the link makes of its items —
// filters, privacy, target, reminders policy or source — must reach the items that did not change
// in the source too: the link's next run then re-reads and re-translates all of them (still under
// the mass-deletion guard).

/** True when `next` treats the same source items differently from `previous`. */
export function needsReplan(previous: Link, next: Link): boolean {
  const { calendarId: _p, ...previousTarget } = { calendarId: undefined, ...previous.target };
  const { calendarId: _n, ...nextTarget } = { calendarId: undefined, ...next.target };
  return (
    !isDeepStrictEqual(previous.filters, next.filters) ||
    previous.privacy !== next.privacy ||
    previous.suppressDefaultReminders !== next.suppressDefaultReminders ||
    !isDeepStrictEqual(previousTarget, nextTarget) ||
    !isDeepStrictEqual(previous.source, next.source)
  );
}

export interface PutLinkResult {
  link: PublicLink;
  /** True when the link's next run re-plans every item. */
  replan: boolean;
}

export async function putLink(ctx: DaemonContext, userId: string, input: unknown): Promise<PutLinkResult> {
  // A feed on a refused address would only fail at its first sync: refuse it now.
  const source = (input as { source?: { type?: unknown; url?: unknown } } | null)?.source;
  if (source?.type === 'ics' && typeof source.url === 'string')
    refuseBlockedFeedHost(source.url, ctx.config.sources.allowHosts);
  const id = (input as { id?: unknown } | null)?.id;
  const previous =
    typeof id === 'string' ? (await ctx.registry.links.getAll(userId)).find((l) => l.id === id) : undefined;
  const link = await ctx.registry.links.put(userId, input);
  if (!previous) return { link, replan: false };
  const stored = await ctx.registry.links.get(userId, link.id);
  const replan = needsReplan(previous, stored);
  if (replan) {
    const store = new RedisMappingStore(ctx.redis, syncKeys(ctx.config.redis.keyPrefix));
    await store.requestReplan(userId, link.id);
    ctx.logger.info({ userId, linkId: link.id }, 'link changed: its next sync re-plans every item');
  }
  return { link, replan };
}
