import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSides, type KakaoEventView } from '../../../bench/chaos/agreement.js';
import { deleteEvents, editEvents, initialEvents } from '../../../bench/chaos/feed-model.js';
import { seededRng } from '../../../bench/chaos/rng.js';

// The chaos harness's verdict on "both sides agree" must itself be right: a miscount here would
// turn a duplicate or a loss into a pass.

describe('compareSides', () => {
  it('counts each feed event found k times as k − 1 duplicates, 0 as a loss, strangers as extras', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }),
        fc.nat(5),
        (copies, strangers) => {
          const feed = initialEvents('p', copies.length);
          const kakao: KakaoEventView[] = [];
          copies.forEach((k, i) => {
            for (let c = 0; c < k; c++)
              kakao.push({ id: `k${i}-${c}`, title: feed[i]!.title, startMs: feed[i]!.start });
          });
          for (let x = 0; x < strangers; x++) kakao.push({ id: `x${x}`, title: `stale ${x}`, startMs: 0 });
          const a = compareSides(feed, kakao, new Set(kakao.map((e) => e.id)));
          expect(a.duplicates).toBe(copies.reduce((s, k) => s + Math.max(0, k - 1), 0));
          expect(a.losses).toBe(copies.filter((k) => k === 0).length);
          expect(a.extras).toBe(strangers);
          expect(a.present + a.losses).toBe(feed.length);
          expect(a.unmapped + a.dangling).toBe(0);
        },
      ),
    );
  });

  it('tells a moved event from its old version, and checks the mapping both ways', () => {
    const [e] = initialEvents('m', 1);
    const moved = { id: 'a', title: e!.title, startMs: e!.start + 3_600_000 };
    const a = compareSides([e!], [moved], new Set(['a', 'gone']));
    expect(a).toMatchObject({ losses: 1, extras: 1, duplicates: 0, unmapped: 0, dangling: 1 });
    const b = compareSides([e!], [{ ...moved, startMs: e!.start }], new Set());
    expect(b).toMatchObject({ losses: 0, extras: 0, unmapped: 1 });
  });
});

describe('feed changes', () => {
  it('edit and delete the requested shares and keep every title unique', () => {
    const rng = seededRng(7);
    const start = initialEvents('f', 300);
    const edited = editEvents(start, 0.4, rng, 1);
    expect(edited.edited).toBe(120);
    expect(edited.events.filter((e, i) => e.title !== start[i]!.title)).toHaveLength(120);
    const deleted = deleteEvents(edited.events, 0.3, 0.1, rng, 2);
    expect(deleted).toMatchObject({ deleted: 90, added: 30 });
    expect(deleted.events).toHaveLength(240);
    expect(new Set(deleted.events.map((e) => e.title)).size).toBe(240);
    expect(new Set(deleted.events.map((e) => e.uid)).size).toBe(240);
  });
});
