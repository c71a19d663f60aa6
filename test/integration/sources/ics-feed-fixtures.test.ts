import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IcsFeedStorage } from '../../../src/sources/ics-feed/storage.js';
import { missing } from '../../support/prerequisite.js';
import { type FeedServer, startFeedServer } from './feed-server.js';

const dir = '../shared/fixtures/ics-real';
const files = existsSync(dir)
  ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ics'))
  : [];

describe.skipIf(missing(existsSync(dir)))(
  'every real-world ICS file read through IcsFeedStorage (needs ../shared/fixtures)',
  () => {
    let server: FeedServer;
    beforeAll(async () => {
      server = await startFeedServer();
      server.handle((req, res) => {
        const file = decodeURIComponent((req.url ?? '').slice(1));
        if (!files.includes(file)) {
          res.writeHead(404);
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/calendar' });
        res.end(readFileSync(`${dir}/${file}`));
      });
    });
    afterAll(() => server.close());

    it('serves a non-empty set of files', () => {
      expect(files.length).toBeGreaterThan(40);
    });

    it.each(files)('%s', async (file) => {
      const feed = new IcsFeedStorage({
        url: server.url(`/${encodeURIComponent(file)}`),
        settings: {
          timeoutMs: 10_000,
          maxBytes: 10 * 1024 * 1024,
          maxRedirects: 5,
          userAgent: 't',
        },
        allowHosts: ['127.0.0.1'],
      });
      const listed = await feed.list();
      expect(listed.unchanged).toBe(false);
      const fetched = await feed.getMany(listed.items.map((i) => i.href));
      expect(fetched.map((f) => f.href)).toEqual(listed.items.map((i) => i.href));
      for (const f of fetched) {
        expect(f.item.ics).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
        expect(f.item.ics.replace(/\r\n[ \t]/g, '')).toContain(`UID:${f.item.uid}`);
      }
      expect((await feed.list(listed.cursor)).unchanged).toBe(true);
    });
  },
);
