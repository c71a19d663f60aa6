import { describe, expect, it } from 'vitest';
import type { GuestVersion } from '../../../../src/sync/guest/guest-ics.js';
import { decideGuest, type GuestRecord } from '../../../../src/sync/guest/guest-plan.js';

// What one guest event's run does, from what changed on either side and the link's policy.

const version = (host: string, guest: Partial<GuestVersion['guest']> = {}): GuestVersion => ({
  host,
  guest: { reminders: [], color: '', memo: '', ...guest },
});

const record: GuestRecord = {
  kakaoId: 'e1',
  kind: 'PUBLIC',
  href: '/u/c/x.ics',
  etag: '"1"',
  start: '2027-01-01T03:00:00Z',
  recurring: false,
  detail: {
    id: 'e1',
    title: 'Launch',
    type: 'PUBLIC',
    calendar_id: 'primary',
    is_host: false,
    time: { start_at: '2027-01-01T03:00:00Z', end_at: '2027-01-01T04:00:00Z' },
  },
  briefHash: 'b',
  written: version('h1'),
};

const ops = (d: ReturnType<typeof decideGuest>) => d.steps.map((s) => s.op);

describe('decideGuest', () => {
  it('writes a newly listed event and nothing for an unchanged one', () => {
    expect(ops(decideGuest({ kakao: version('h1'), gone: false, policy: 'source-wins' }))).toEqual(['write']);
    expect(ops(decideGuest({ record, kakao: version('h1'), gone: false, policy: 'source-wins' }))).toEqual(
      [],
    );
    expect(ops(decideGuest({ record, gone: false, policy: 'source-wins' }))).toEqual([]);
  });

  it('pushes exactly the guest fields changed in CalDAV, then accepts the CalDAV version', () => {
    const d = decideGuest({
      record,
      caldav: version('h1', { memo: 'badge', reminders: [30] }),
      gone: false,
      policy: 'source-wins',
    });
    expect(d.steps).toEqual([{ op: 'push', change: { memo: 'badge', reminders: [30] } }, { op: 'accept' }]);
    expect(d.keptHostEdit).toBe(false);
  });

  it('reverts a host edit under kakao-wins and keeps it (reported) otherwise, never pushing it', () => {
    const caldav = version('h2', { color: 'RED' });
    const revert = decideGuest({ record, caldav, gone: false, policy: 'kakao-wins' });
    expect(revert.steps).toEqual([{ op: 'push', change: { color: 'RED' } }, { op: 'write' }]);
    expect(revert.keptHostEdit).toBe(false);
    for (const policy of ['source-wins', 'manual'] as const) {
      const keep = decideGuest({ record, caldav, gone: false, policy });
      expect(ops(keep)).toEqual(['push', 'accept']);
      expect(keep.keptHostEdit).toBe(true);
    }
  });

  it('rewrites the object when Talk Calendar changed it, even over a kept host edit', () => {
    const d = decideGuest({
      record,
      kakao: version('h3'),
      caldav: version('h2'),
      gone: false,
      policy: 'source-wins',
    });
    expect(ops(d)).toEqual(['write']);
    expect(ops(decideGuest({ record, kakao: version('h3'), gone: false, policy: 'source-wins' }))).toEqual([
      'write',
    ]);
  });

  it('writes again an object deleted in CalDAV and removes one that is no longer followed', () => {
    expect(ops(decideGuest({ record, caldav: 'deleted', gone: false, policy: 'source-wins' }))).toEqual([
      'write',
    ]);
    expect(ops(decideGuest({ record, gone: true, policy: 'source-wins' }))).toEqual(['remove']);
    expect(ops(decideGuest({ gone: true, policy: 'source-wins' }))).toEqual([]);
  });
});
