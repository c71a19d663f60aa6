import { describe, expect, it } from 'vitest';
import { needsReplan } from '../../../src/daemon/link-service.js';
import { parseLink } from '../../../src/model/link.js';
import { syncKeys } from '../../../src/sync/store/keys.js';
import { usePublishRig } from '../publish/harness.js';

// Editing a link's filters or privacy re-evaluates the items that did not change in the source:
// the next (unforced) sync re-reads and re-translates every item — under the mass-deletion guard.

const day = 86_400_000;
const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function feed(titles: string[]): string {
  const base = Math.floor(Date.now() / day) * day + 2 * day;
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal//replan//EN',
    ...titles.flatMap((title, i) => [
      'BEGIN:VEVENT',
      `UID:ev-${i}@replan`,
      'DTSTAMP:20260101T000000Z',
      `DTSTART:${stamp(base + i * day + 9 * 3_600_000)}`,
      `DTEND:${stamp(base + i * day + 10 * 3_600_000)}`,
      `SUMMARY:${title}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('link edits re-plan unchanged items', () => {
  const env = usePublishRig();

  const titles = (userId: string) =>
    env.rig.emulator.admin
      .events(userId)
      .map((e: { title?: string }) => e.title ?? '')
      .sort();
  const sync = (userId: string) => env.rig.daemon.ctx.queue.triggerAndWait(userId);
  const meta = (userId: string) =>
    env.rig.daemon.ctx.redis.hgetall(
      syncKeys(env.rig.daemon.ctx.config.redis.keyPrefix).meta(userId, 'feed'),
    );

  async function userWithLink(events: string[], extra: Record<string, unknown>) {
    const userId = await env.rig.bareUser();
    const url = await env.rig.serve(feed(events));
    const link: Record<string, unknown> = {
      id: 'feed',
      source: { type: 'ics', url },
      target: { kind: 'primary' },
      ...extra,
    };
    const made = await env.rig.api('POST', `/api/users/${userId}/links`, link);
    expect(made.status).toBe(201);
    // The first trigger may join a sync queued when the user was added (before the link existed).
    await sync(userId);
    await sync(userId);
    return { userId, link };
  }

  it('a removed exclude filter creates the previously filtered event on the next sync', async () => {
    const { userId, link } = await userWithLink(['Standup', 'Secret party'], {
      filters: { excludeTitle: 'Secret' },
    });
    expect(titles(userId)).toEqual(['Standup']);
    await sync(userId);
    expect(titles(userId)).toEqual(['Standup']);

    const { filters: _dropped, ...unfiltered } = link;
    const put = await env.rig.api('PUT', `/api/users/${userId}/links/feed`, unfiltered);
    expect(put.status).toBe(200);
    expect((await meta(userId))['replan']).toBeDefined();
    await sync(userId);
    expect(titles(userId)).toEqual(['Secret party', 'Standup']);
    expect((await meta(userId))['replan']).toBeUndefined();
  });

  it('a privacy change rewrites the unchanged events', async () => {
    const { userId, link } = await userWithLink(['Dentist', 'Review'], {});
    expect(titles(userId)).toEqual(['Dentist', 'Review']);
    await env.rig.api('PUT', `/api/users/${userId}/links/feed`, { ...link, privacy: 'busy-only' });
    await sync(userId);
    const after = titles(userId);
    expect(after).toHaveLength(2);
    expect(after).not.toContain('Dentist');
    expect(after).not.toContain('Review');
  });

  it('a filter that would drop most items stops at the mass-deletion guard', async () => {
    const names = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6'];
    const { userId, link } = await userWithLink(names, {});
    expect(titles(userId)).toEqual(names);
    await env.rig.api('PUT', `/api/users/${userId}/links/feed`, { ...link, filters: { excludeTitle: '^A' } });
    await sync(userId);
    expect(titles(userId)).toEqual(names);
    // Stopped before its commit: the re-plan stays pending until a forced or corrected run.
    expect((await meta(userId))['replan']).toBeDefined();
  });

  it('an edit of name or verification cadence alone asks for no re-plan', () => {
    const base = parseLink({
      id: 'l',
      source: { type: 'ics', url: 'https://e.org/a.ics' },
      target: { kind: 'primary' },
    });
    expect(needsReplan(base, { ...base, name: 'New name', verify: { nearEveryHours: 2 } })).toBe(false);
    expect(needsReplan(base, { ...base, suppressDefaultReminders: true })).toBe(true);
    expect(needsReplan(base, { ...base, target: { kind: 'sub-calendar', name: 'X' } })).toBe(true);
    const sub = { ...base, target: { kind: 'sub-calendar' as const, name: 'X' } };
    expect(needsReplan(sub, { ...sub, target: { ...sub.target, calendarId: 'c1' } })).toBe(false);
  });
});
