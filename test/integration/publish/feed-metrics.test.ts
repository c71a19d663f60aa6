import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PublishRig, startPublishRig } from './harness.js';

// Published-feed requests in /metrics: a counter by outcome (200, 304, 404) and a render-time
// histogram, read back from the running daemon's /metrics.

function metricValue(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

describe('feed metrics', () => {
  let rig: PublishRig;
  let url: string;
  const metrics = async () => (await fetch(`${rig.daemon.url}/metrics`)).text();

  beforeAll(async () => {
    rig = await startPublishRig();
    const userId = await rig.bareUser();
    const made = await rig.api<{ token: string }>('POST', `/api/users/${userId}/feeds`, { kind: 'all' });
    expect(made.status).toBe(201);
    url = rig.feedUrl(made.json.token);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('counts 200, 304 and 404 answers and times each render', async () => {
    const first = await fetch(url);
    expect(first.status).toBe(200);
    await first.text();
    const etag = first.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    await again.text();
    for (const path of ['/feeds/not-a-token.ics', '/feeds/a/b.ics']) {
      const res = await fetch(`${rig.daemon.url}${path}`);
      expect(res.status).toBe(404);
      await res.text();
    }
    const text = await metrics();
    expect(metricValue(text, 'talkcal_feed_requests_total{outcome="200"}')).toBe(1);
    expect(metricValue(text, 'talkcal_feed_requests_total{outcome="304"}')).toBe(1);
    expect(metricValue(text, 'talkcal_feed_requests_total{outcome="404"}')).toBe(2);
    // Both found feeds were rendered (the second from the cache); unknown tokens render nothing.
    expect(metricValue(text, 'talkcal_feed_render_seconds_count')).toBe(2);
    expect(metricValue(text, 'talkcal_feed_render_seconds_sum')).toBeGreaterThan(0);
  });
});
