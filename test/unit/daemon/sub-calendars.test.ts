import { describe, expect, it } from 'vitest';
import { ensureSubCalendars } from '../../../src/daemon/sub-calendars.js';
import type { KakaoColor } from '../../../src/kakao/types.js';
import { type Link, parseLink } from '../../../src/model/link.js';
import { unlimitedQuota } from '../../../src/model/quota.js';
import { SubCalendarLimitError } from '../../../src/registry/errors.js';

const link = (id: string, target: Link['target']): Link =>
  parseLink({ id, source: { type: 'ics', url: `https://example.org/${id}.ics` }, target });

function fakes(existing: { id: string; name: string }[] = []) {
  const created: { name: string; color?: KakaoColor }[] = [];
  const saved: Record<string, string> = {};
  const markedEmpty: string[] = [];
  return {
    created,
    saved,
    markedEmpty,
    kakao: {
      listCalendars: async () => ({ calendars: existing }),
      createCalendar: async (c: { name: string; color?: KakaoColor }) => {
        created.push(c);
        return `cal-${created.length}`;
      },
    },
    store: {
      setSubCalendarId: async (_u: string, linkId: string, id: string) => {
        saved[linkId] = id;
      },
      calendarCreated: async (_u: string, linkId: string) => {
        markedEmpty.push(linkId);
      },
    },
  };
}

describe('sub-calendars created on first sync', () => {
  it('creates a missing sub-calendar with the source colour and records its id on the link', async () => {
    const f = fakes();
    const links = [link('a', { kind: 'sub-calendar', name: 'Work' }), link('p', { kind: 'primary' })];
    const out = await ensureSubCalendars(
      'u',
      links,
      f.kakao as never,
      f.store,
      unlimitedQuota,
      false,
      async () => ({ color: 'RED' }),
    );
    expect(f.created).toEqual([{ name: 'Work', color: 'RED' }]);
    expect(f.saved).toEqual({ a: 'cal-1' });
    expect(out[0]?.target).toEqual({ kind: 'sub-calendar', name: 'Work', calendarId: 'cal-1' });
    expect(out[1]?.target).toEqual({ kind: 'primary' });
  });

  it('adopts a calendar of the same name (left by an interrupted run) and shares one between links', async () => {
    const f = fakes([{ id: 'user_cal_9', name: 'Work' }]);
    const links = [
      link('a', { kind: 'sub-calendar', name: 'Work' }),
      link('b', { kind: 'sub-calendar', name: 'Work' }),
    ];
    await ensureSubCalendars('u', links, f.kakao as never, f.store, unlimitedQuota, false);
    expect(f.created).toEqual([]);
    expect(f.saved).toEqual({ a: 'user_cal_9', b: 'user_cal_9' });
    // Adopted, it may hold what the interrupted run wrote: its first sync lists it.
    expect(f.markedEmpty).toEqual([]);
  });

  it('records a calendar it created as empty, for every link of the run that shares it', async () => {
    const f = fakes();
    const links = [
      link('a', { kind: 'sub-calendar', name: 'Work' }),
      link('b', { kind: 'sub-calendar', name: 'Work' }),
      link('c', { kind: 'sub-calendar', name: 'Home', calendarId: 'cal-home' }),
    ];
    await ensureSubCalendars('u', links, f.kakao as never, f.store, unlimitedQuota, false);
    expect(f.saved).toEqual({ a: 'cal-1', b: 'cal-1' });
    expect(f.markedEmpty).toEqual(['a', 'b']);
  });

  it('creates nothing in a dry run, and refuses a fourth sub-calendar', async () => {
    const f = fakes();
    await ensureSubCalendars(
      'u',
      [link('a', { kind: 'sub-calendar', name: 'A' })],
      f.kakao as never,
      f.store,
      unlimitedQuota,
      true,
    );
    expect(f.created).toEqual([]);
    const full = ['A', 'B', 'C'].map((n, i) =>
      link(`l${i}`, { kind: 'sub-calendar', name: n, calendarId: `c${i}` }),
    );
    await expect(
      ensureSubCalendars(
        'u',
        [...full, link('d', { kind: 'sub-calendar', name: 'D' })],
        f.kakao as never,
        f.store,
        unlimitedQuota,
        false,
      ),
    ).rejects.toBeInstanceOf(SubCalendarLimitError);
  });
});

describe('sub-calendar name and colour from the source collection', () => {
  const unnamed = (id: string) =>
    parseLink({
      id,
      source: { type: 'ics', url: `https://example.org/${id}.ics` },
      target: { kind: 'sub-calendar' },
    });

  it('takes the source name (and colour) when the link gives no name', async () => {
    const f = fakes();
    const asked: string[] = [];
    await ensureSubCalendars(
      'u',
      [unnamed('a')],
      f.kakao as never,
      f.store,
      unlimitedQuota,
      false,
      async (l) => {
        asked.push(l.id);
        return { name: 'Team holidays', color: 'MINT' };
      },
    );
    expect(f.created).toEqual([{ name: 'Team holidays', color: 'MINT' }]);
    expect(asked).toEqual(['a']);
  });

  it("a link's own name wins over the source's; no source name falls back to the link id", async () => {
    const f = fakes();
    const looks = async () => ({ name: 'From feed', color: 'RED' as const });
    await ensureSubCalendars(
      'u',
      [link('a', { kind: 'sub-calendar', name: 'Mine' }), unnamed('b')],
      f.kakao as never,
      f.store,
      unlimitedQuota,
      false,
      looks,
    );
    const g = fakes();
    await ensureSubCalendars(
      'u',
      [unnamed('c')],
      g.kakao as never,
      g.store,
      unlimitedQuota,
      false,
      async () => {
        throw new Error('feed down');
      },
    );
    expect(f.created).toEqual([
      { name: 'Mine', color: 'RED' },
      { name: 'From feed', color: 'RED' },
    ]);
    expect(g.created).toEqual([{ name: 'c' }]);
  });
});
