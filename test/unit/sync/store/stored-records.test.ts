import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DesiredEvent, InstanceOperation } from '../../../../src/model/desired.js';
import { desiredItemHash, desiredUnitHash } from '../../../../src/sync/events/projection.js';
import { unitFor } from '../../../../src/sync/events/unit-state.js';
import { CompactJson, type Json } from '../../../../src/sync/store/compact-json.js';
import type { SnapshotEntry } from '../../../../src/sync/store/kakao-snapshot.js';
import type { ItemMapping, UnitMapping } from '../../../../src/sync/store/mapping.js';
import { ownEventsOf } from '../../../../src/sync/store/own-events.js';
import { decodeItem, encodeItem, StoredRecordError } from '../../../../src/sync/store/stored-records.js';
import {
  decodeSnapshotEntry,
  encodeSnapshotEntry,
} from '../../../../src/sync/store/stored-snapshot-entry.js';

// Strings that look like the codec's own tokens, timestamps in each form it shortens, and repeats.
const hex24 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 });
const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom('^', '^0', '^^', '^@abc', '~', '~x', 'A', 'O', '0', '12', '__proto__x', 'h:abcdef'),
  fc
    .date({ min: new Date('1960-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc
    .date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => `${d.toISOString().slice(0, 19)}Z`),
  fc
    .date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => `${d.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`),
  fc.constantFrom('2024-02-30T10:00:00Z', '20240230T100000Z', '2024-01-01T24:00:00Z'),
);
const json: fc.Arbitrary<Json> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(tricky, fc.constantFrom('title', 'time', 'start_at', 'units')), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value as fc.Arbitrary<Json>;

describe('CompactJson', () => {
  const codec = new CompactJson(['title', 'time', 'start_at', 'units']);

  it('gives back every JSON value as plain JSON would (property)', () => {
    fc.assert(
      fc.property(json, fc.array(fc.string(), { maxLength: 2 }), (value, context) => {
        const plain = JSON.parse(JSON.stringify(value));
        const twice = { a: value, b: value, c: [value] };
        expect(codec.decode(codec.encode(value, context), context)).toEqual(plain);
        expect(codec.decode(codec.encode(twice, context), context)).toEqual(
          JSON.parse(JSON.stringify(twice)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('writes a repeated object once and a timestamp as a short token', () => {
    const time = { start_at: '2027-01-03T05:00:00Z', end_at: '2027-01-03T06:00:00Z' };
    const text = codec.encode({ a: time, b: time });
    expect(text).not.toContain('2027');
    expect(text.length).toBeLessThan(JSON.stringify({ a: time, b: time }).length / 2);
  });

  it('refuses a reference to nothing', () => {
    expect(() => codec.decode('"^z"')).toThrow(/dangling reference/);
  });
});

const noOwnEvents = ownEventsOf([]);
const hash = fc.string({ minLength: 22, maxLength: 22 });
const iso = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
  .map((d) => `${d.toISOString().slice(0, 19)}Z`);
const event = fc.record(
  {
    title: fc.string(),
    time: fc.record({
      start_at: iso,
      end_at: iso,
      time_zone: fc.constantFrom('UTC', 'Asia/Seoul'),
      all_day: fc.boolean(),
    }),
    rrule: fc.constantFrom('FREQ=WEEKLY;COUNT=10', 'FREQ=DAILY'),
    description: fc.string(),
    color: fc.constantFrom('RED', 'BLUE'),
  },
  { requiredKeys: ['title', 'time'] },
);
const unit = fc.record(
  {
    kakaoId: fc.option(hex24, { nil: null }),
    desiredHash: hash,
    kakaoHash: hash,
    start: iso,
    end: iso,
    recurring: fc.boolean(),
    instancesApplied: fc.array(fc.string(), { maxLength: 2 }),
    event,
    instances: fc.constant([] as InstanceOperation[]),
    writtenAt: fc.date({ noInvalidDate: true, min: new Date(0) }).map((d) => d.toISOString()),
  },
  { requiredKeys: ['kakaoId', 'desiredHash', 'kakaoHash', 'start', 'end', 'recurring', 'instancesApplied'] },
);
const item = fc
  .record({
    sourceKey: fc.oneof(fc.string(), fc.constantFrom('uid-1@example.org', '^0', 'h:x')),
    sourceHash: hash,
    sameContent: fc.boolean(),
    otherContent: hash,
    units: fc.dictionary(fc.constantFrom('main', '20270103T050000Z', '0'), unit, { minKeys: 1, maxKeys: 3 }),
    exact: fc.constantFrom('own', 'none', 'shifted'),
    href: fc.option(fc.string(), { nil: undefined }),
  })
  .map((r): ItemMapping => {
    const m: ItemMapping = {
      sourceKey: r.sourceKey,
      sourceHash: r.sourceHash,
      contentHash: r.sameContent ? `h:${r.sourceHash}` : r.otherContent,
      units: r.units,
      ...(r.href !== undefined ? { href: r.href } : {}),
    };
    const own = Object.entries(r.units).map(([k, u]) => [k, { start: u.start, end: u.end }] as const);
    if (r.exact === 'own') m.exactTimes = Object.fromEntries(own);
    if (r.exact === 'shifted')
      m.exactTimes = Object.fromEntries(own.map(([k, t]) => [k, { ...t, start: `x${t.start}` }]));
    return m;
  });

/** An item as the sync writes it: hashes and times as its events give them. */
const written = fc
  .record({
    sourceKey: fc.oneof(fc.string(), fc.constant('uid-1@example.org')),
    units: fc.dictionary(fc.constantFrom('main', '20270103T050000Z', '0'), fc.tuple(event, hex24), {
      minKeys: 1,
      maxKeys: 3,
    }),
  })
  .map(({ sourceKey, units }): ItemMapping => {
    const desired: DesiredEvent[] = Object.entries(units).map(([unitKey, [e]]) => ({
      unitKey,
      event: e,
      instances: [],
    }));
    const sourceHash = desiredItemHash({
      kind: 'event',
      sourceKey,
      units: desired,
      warnings: [],
      exactTimes: {},
    });
    const mapped = desired.map((d) => [
      d.unitKey,
      unitFor(units[d.unitKey]![1], d.event, desiredUnitHash(d), []),
    ]);
    return { sourceKey, sourceHash, contentHash: `h:${sourceHash}`, units: Object.fromEntries(mapped) };
  });

describe('stored mapping items and snapshot entries', () => {
  it('an item comes back as it went in (property)', () => {
    fc.assert(
      fc.property(item, (m) => {
        expect(decodeItem(m.sourceKey, encodeItem(m))).toStrictEqual(JSON.parse(JSON.stringify(m)));
      }),
      { numRuns: 300 },
    );
  });

  it('a snapshot entry comes back as it went in, with or without its own list entry (property)', () => {
    const entry = fc
      .record({
        key: hex24,
        event,
        listed: fc.boolean(),
        seenAt: iso,
      })
      .map(({ key, event: e, listed, seenAt }): SnapshotEntry => {
        const brief = listed
          ? { id: key, title: e.title, type: 'USER' as const, calendar_id: 'primary', time: e.time }
          : {
              id: key,
              title: e.title,
              type: 'USER' as const,
              is_host: true,
              time: e.time,
              is_recur_event: e.rrule !== undefined,
              ...(e.color ? { color: e.color } : {}),
            };
        return { key, brief, linkId: 'feed', event: e, seenAt };
      });
    fc.assert(
      fc.property(entry, (e) => {
        expect(decodeSnapshotEntry(e.key, encodeSnapshotEntry(e), noOwnEvents)).toStrictEqual(
          JSON.parse(JSON.stringify(e)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('an item as the sync writes it comes back without storing its hashes and times (property)', () => {
    fc.assert(
      fc.property(written, (m) => {
        const text = encodeItem(m);
        expect(decodeItem(m.sourceKey, text)).toStrictEqual(JSON.parse(JSON.stringify(m)));
        for (const u of Object.values(m.units)) {
          expect(text).not.toContain(u.desiredHash);
          expect(text).not.toContain(u.kakaoHash);
        }
        expect(text).not.toContain(m.sourceHash);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the compact form of the previous version as it was written, and rewrites it smaller', () => {
    // Written by the encoder before hashes and times were derived (tag 1).
    const before =
      '1{"P":"cOlhr2BbtxgDFzFUIhv2hp","R":"^1","T":{"main":{"X":"6b16f205761612bd706b7828","Y":"N0juytd4Z4lxCVYt-VPQRw","Z":"geWSww3UIlYJ1XKiBwq8XN","a":"^@tr1sk0","b":"^@tr1vc0","c":true,"e":{"A":"Team meeting","B":{"H":"^9","I":"^a","J":"Asia/Seoul","K":false},"D":"Agenda","C":"FREQ=WEEKLY;COUNT=4"},"f":[],"i":"^.mxdr7s3f"}}}';
    const time = {
      start_at: '2027-01-03T05:00:00Z',
      end_at: '2027-01-03T06:00:00Z',
      time_zone: 'Asia/Seoul',
      all_day: false,
    };
    const expected: ItemMapping = {
      sourceKey: 'uid-26@example.org',
      sourceHash: 'cOlhr2BbtxgDFzFUIhv2hp',
      contentHash: 'h:cOlhr2BbtxgDFzFUIhv2hp',
      href: 'uid-26%40example.org.ics',
      units: {
        main: {
          kakaoId: '6b16f205761612bd706b7828',
          desiredHash: 'N0juytd4Z4lxCVYt-VPQRw',
          kakaoHash: 'geWSww3UIlYJ1XKiBwq8XN',
          start: '2027-01-03T05:00:00Z',
          end: '2027-01-03T06:00:00Z',
          recurring: true,
          instancesApplied: [],
          event: { title: 'Team meeting', time, description: 'Agenda', rrule: 'FREQ=WEEKLY;COUNT=4' },
          instances: [],
          writtenAt: '2026-12-07T21:00:00.123Z',
        },
      },
      exactTimes: { main: { start: '2027-01-03T05:00:00Z', end: '2027-01-03T06:00:00Z' } },
    };
    const read = decodeItem('uid-26@example.org', before);
    expect(read).toStrictEqual(expected);
    const after = encodeItem(read);
    expect(after.length).toBeLessThan(before.length - 80);
    expect(decodeItem('uid-26@example.org', after)).toStrictEqual(expected);
  });

  it('reads the plain JSON of earlier versions', () => {
    const m: ItemMapping = { sourceKey: 'u', sourceHash: 's', contentHash: 'c', units: {} };
    expect(decodeItem('u', JSON.stringify(m))).toEqual(m);
    const e: SnapshotEntry = {
      key: 'busy:a/b',
      brief: { time: { start_at: 'a', end_at: 'b' } },
      seenAt: 'x',
    };
    expect(decodeSnapshotEntry('busy:a/b', JSON.stringify(e), noOwnEvents)).toEqual(e);
  });

  it('is smaller than plain JSON for a typical synced event', () => {
    const m: ItemMapping = {
      sourceKey: 'uid-26@example.org',
      sourceHash: 'd0nwkFGgyXuK4LG4ybMDQ6',
      contentHash: 'h:d0nwkFGgyXuK4LG4ybMDQ6',
      units: {
        main: {
          kakaoId: '6b16f205761612bd706b7828',
          desiredHash: '7ololjxIGNuy3FmIGuHipF',
          kakaoHash: 'DnkbfobP1weI5ztTnUpHcJ',
          start: '2027-01-03T05:00:00Z',
          end: '2027-01-03T06:00:00Z',
          recurring: false,
          instancesApplied: [],
          event: {
            title: 'Team meeting',
            time: { start_at: '2027-01-03T05:00:00Z', end_at: '2027-01-03T06:00:00Z' },
          },
        },
      },
      exactTimes: { main: { start: '2027-01-03T05:00:00Z', end: '2027-01-03T06:00:00Z' } },
    };
    expect(encodeItem(m).length).toBeLessThan(JSON.stringify(m).length * 0.5);
  });

  it('names a record it cannot read', () => {
    expect(() => decodeItem('u', '9{}')).toThrow(StoredRecordError);
    expect(() => decodeItem('u', '1{"P":')).toThrow(/corrupt mapping item/);
  });
});

describe('decoded items', () => {
  it('encode to the bytes they were decoded from, as the sync writes them (property)', () => {
    fc.assert(
      fc.property(written, (m) => {
        const text = encodeItem(m);
        expect(encodeItem(decodeItem(m.sourceKey, text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('keep the hashes they were decoded with when their units change before a hash is read (property)', () => {
    const unitHashes = (units: UnitMapping[]) => units.map((u) => [u.desiredHash, u.kakaoHash]);
    fc.assert(
      fc.property(written, event, (m, other) => {
        const changed = decodeItem(m.sourceKey, encodeItem(m));
        const units = Object.values(changed.units);
        for (const u of units) u.event = other;
        changed.units = {};
        expect(changed.sourceHash).toBe(m.sourceHash);
        expect(changed.contentHash).toBe(m.contentHash);
        expect(unitHashes(units)).toEqual(unitHashes(Object.values(m.units)));
      }),
      { numRuns: 200 },
    );
  });

  it('give their fields in the order a decoded item has always had (it is re-encoded in that order)', () => {
    const m = fc.sample(written, { numRuns: 1, seed: 7 })[0]!;
    const unit = Object.values(m.units)[0]!;
    unit.kakaoHash = 'accepted-from-kakao-00'; // as an accepted Kakao edit leaves it: stored, not derived
    const read = decodeItem(m.sourceKey, encodeItem(m));
    expect(Object.keys(read)).toEqual(['sourceKey', 'units', 'sourceHash', 'contentHash']);
    expect(Object.keys(Object.values(read.units)[0]!)).toEqual([
      'instancesApplied',
      'desiredHash',
      'kakaoHash',
      'start',
      'end',
      'recurring',
      'kakaoId',
      'event',
      'instances',
    ]);
  });

  it('take an assigned hash as a plain field, and copy as plain objects', () => {
    const m = fc.sample(written, { numRuns: 1, seed: 7 })[0]!;
    const read = decodeItem(m.sourceKey, encodeItem(m));
    const unit = Object.values(read.units)[0]!;
    unit.desiredHash = 'assigned';
    read.contentHash = 'other';
    expect(unit.desiredHash).toBe('assigned');
    expect(read.contentHash).toBe('other');
    expect(JSON.parse(JSON.stringify(read)).contentHash).toBe('other');
    const copy = structuredClone(read);
    expect(copy).toStrictEqual(JSON.parse(JSON.stringify(read)));
    expect(Object.getOwnPropertyDescriptor(copy, 'sourceHash')).toMatchObject({ value: m.sourceHash });
    expect({ ...Object.values(read.units)[0]! }).toStrictEqual(JSON.parse(JSON.stringify(unit)));
  });
});
