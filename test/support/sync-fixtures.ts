import type { EventBrief, EventCreate } from '../../src/kakao/types.js';
import type { DesiredEventItem, DesiredItem, InstanceOperation } from '../../src/model/desired.js';
import { type Link, type LinkInput, parseLink } from '../../src/model/link.js';
import type { Action, Plan, PlanInput, SourceView } from '../../src/sync/events/plan-types.js';
import {
  contentHashOf,
  desiredItemHash,
  desiredUnitHash,
  projectDesired,
} from '../../src/sync/events/projection.js';
import { emptyLinkState, type ItemMapping, type LinkState } from '../../src/sync/store/mapping.js';

// Small builders shared by the sync tests: desired items, mappings as a finished sync leaves them,
// Kakao list entries, and plan inputs with sensible defaults.

export const NOW = '2025-03-01T00:00:00Z';
export const HORIZON = { from: '2025-01-30T00:00:00Z', to: '2026-03-01T00:00:00Z' };

export function link(over: Partial<LinkInput> = {}): Link {
  return parseLink({
    id: 'l1',
    source: { type: 'ics', url: 'https://example.org/a.ics' },
    target: { kind: 'primary' },
    ...over,
  });
}

export function twoWayLink(over: Partial<LinkInput> = {}): Link {
  return link({
    source: { type: 'caldav', url: 'https://dav.example.org/cal/', component: 'event' },
    direction: 'two-way',
    ...over,
  });
}

export function ev(title: string, start: string, hours = 1, extra: Partial<EventCreate> = {}): EventCreate {
  const end = new Date(Date.parse(start) + hours * 3600_000).toISOString().replace('.000Z', 'Z');
  return { title, time: { start_at: start, end_at: end, time_zone: 'Asia/Seoul' }, ...extra };
}

export function item(uid: string, event: EventCreate, instances: InstanceOperation[] = []): DesiredEventItem {
  return {
    kind: 'event',
    sourceKey: uid,
    units: [{ unitKey: 'main', event, instances }],
    warnings: [],
    exactTimes: { main: { start: event.time.start_at, end: event.time.end_at } },
  };
}

/** The mapping a successful sync of `it` to Kakao id(s) leaves behind. */
export function synced(it: DesiredEventItem, kakaoIds: string | Record<string, string>): ItemMapping {
  const ids = typeof kakaoIds === 'string' ? { main: kakaoIds } : kakaoIds;
  return {
    sourceKey: it.sourceKey,
    sourceHash: desiredItemHash(it),
    contentHash: contentHashOf(it),
    units: Object.fromEntries(
      it.units.map((u) => [
        u.unitKey,
        {
          kakaoId: ids[u.unitKey] ?? null,
          desiredHash: desiredUnitHash(u),
          kakaoHash: projectDesired(u.event),
          start: u.event.time.start_at,
          end: u.event.time.end_at,
          recurring: Boolean(u.event.rrule),
          instancesApplied: u.instances.map((o) => `${o.instanceStart}:${o.action}:${o.scope}`),
          event: u.event,
          instances: u.instances,
        },
      ]),
    ),
  };
}

export function stateOf(...items: ItemMapping[]): LinkState {
  const s = emptyLinkState();
  for (const m of items) s.items.set(m.sourceKey, m);
  s.needsFullListing = false;
  return s;
}

/** The list entry Kakao shows for an event of ours. */
export function brief(id: string, e: EventCreate): EventBrief {
  return {
    id,
    title: e.title,
    type: 'USER',
    calendar_id: 'primary',
    is_host: true,
    time: e.time,
    is_recur_event: Boolean(e.rrule),
    ...(e.color ? { color: e.color } : {}),
  };
}

/** Windows covering the whole horizon. */
export const allWindows = [HORIZON];

export function input(over: Partial<PlanInput> & Pick<PlanInput, 'state'>): PlanInput {
  return {
    link: link(),
    source: { full: true, items: [], deletedKeys: [] },
    kakao: { windows: [], events: [] },
    horizon: HORIZON,
    now: NOW,
    massDelete: { share: 0.5, minItems: 5 },
    ...over,
  };
}

/** A full source listing of `items` (nothing deleted, everything readable). */
export function fullSource(...items: DesiredItem[]): SourceView {
  return { full: true, items, deletedKeys: [] };
}

/** Every action of a plan, in order. */
export const actionsOf = (plan: Plan): Action[] => plan.items.flatMap((i) => i.actions);
