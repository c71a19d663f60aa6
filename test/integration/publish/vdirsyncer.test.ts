import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icsStamp, utcDayAt } from '../../support/ics-text.js';
import { type PublishRig, run, startPublishRig } from './harness.js';

// vdirsyncer (Debian) subscribes to a published feed with an `http` storage into a `filesystem`
// storage, twice: the first run copies every item, the second changes nothing.

const at = utcDayAt;

const source = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//talkcal-test//EN',
  ...[1, 2, 3].flatMap((n) => [
    'BEGIN:VEVENT',
    `UID:single-${n}@test`,
    'DTSTAMP:20250101T000000Z',
    `DTSTART:${icsStamp(at(n * 2, 1))}`,
    `DTEND:${icsStamp(at(n * 2, 2))}`,
    `SUMMARY:Meeting ${n}`,
    'END:VEVENT',
  ]),
  'BEGIN:VEVENT',
  'UID:weekly@test',
  'DTSTAMP:20250101T000000Z',
  `DTSTART;TZID=Asia/Seoul:${icsStamp(at(1, 1)).slice(0, 9)}100000`,
  `DTEND;TZID=Asia/Seoul:${icsStamp(at(1, 1)).slice(0, 9)}110000`,
  'RRULE:FREQ=WEEKLY;COUNT=6',
  'SUMMARY:Weekly',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('vdirsyncer subscribes to a published feed', () => {
  let rig: PublishRig;
  let url: string;
  let userId: string;

  beforeAll(async () => {
    rig = await startPublishRig();
    ({ userId } = await rig.userWithFeed(source));
    const made = await rig.api<{ token: string }>('POST', `/api/users/${userId}/feeds`, {});
    url = rig.feedUrl(made.json.token);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('syncs the feed into a filesystem storage; the second sync changes nothing', async () => {
    const home = join(rig.dir, 'vdir-home');
    const local = join(rig.dir, 'vdir-local');
    mkdirSync(home, { recursive: true });
    mkdirSync(local, { recursive: true });
    const config = join(rig.dir, 'vdirsyncer.conf');
    writeFileSync(
      config,
      [
        '[general]',
        `status_path = "${join(rig.dir, 'vdir-status')}/"`,
        '',
        '[pair feed]',
        'a = "feed_remote"',
        'b = "feed_local"',
        'collections = null',
        '',
        '[storage feed_remote]',
        'type = "http"',
        `url = "${url}"`,
        '',
        '[storage feed_local]',
        'type = "filesystem"',
        `path = "${local}/"`,
        'fileext = ".ics"',
        '',
      ].join('\n'),
    );
    const env = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local/share'),
      XDG_CACHE_HOME: join(home, '.cache'),
    };
    const vdirsyncer = (...args: string[]) =>
      run('sh', ['-c', `yes | vdirsyncer -v INFO -c "${config}" ${args.join(' ')}`], {
        env,
        timeout: 60_000,
      });
    await vdirsyncer('discover');
    const first = await vdirsyncer('sync');
    const files = readdirSync(local).sort();
    // 3 single events + 1 recurring master = 4 items.
    expect(files).toHaveLength(4);
    const copied = `${first.stdout}${first.stderr}`.match(/Copying \(uploading\) item/g) ?? [];
    expect(copied).toHaveLength(4);
    const before = files.map((f) => [
      f,
      readFileSync(join(local, f), 'utf8'),
      statSync(join(local, f)).mtimeMs,
    ]);
    expect(before.map(([, text]) => text).join('')).toContain('RRULE:FREQ=WEEKLY;COUNT=6');

    // The daemon syncs again (windows re-read, so the feed is rebuilt): items stay byte-identical.
    await rig.daemon.ctx.queue.triggerAndWait(userId, { force: true });
    await new Promise((r) => setTimeout(r, 1100));
    const second = await vdirsyncer('sync');
    const log = `${second.stdout}${second.stderr}`;
    expect(log).not.toMatch(/Copying|Updating|Deleting/);
    const after = readdirSync(local)
      .sort()
      .map((f) => [f, readFileSync(join(local, f), 'utf8'), statSync(join(local, f)).mtimeMs]);
    expect(after).toEqual(before);
  });
});
