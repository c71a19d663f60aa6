import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelOfUserId, channelUserId, isChannelUserId } from '../../../src/channel/channel-user.js';
import { PublicEventUnsupportedError } from '../../../src/channel/errors.js';
import { notificationMessageOf, withNotificationMessage } from '../../../src/channel/notification.js';
import { briefOf, toPublicEvent, toPublicUpdate } from '../../../src/channel/public-event-port.js';
import { parseButton } from '../../../src/cli/commands/channels.js';
import { needsReplan } from '../../../src/daemon/link-service.js';
import { publicButtonTitles } from '../../../src/kakao/public-types.js';
import { validateEventCreate } from '../../../src/kakao/validate.js';
import {
  effectiveNotificationMessage,
  validateNotificationMessage,
} from '../../../src/kakao/validate-notification.js';
import { type ChannelTarget, channelTargetSchema } from '../../../src/model/channel-target.js';
import type { DesiredItem } from '../../../src/model/desired.js';
import { type Link, parseLink } from '../../../src/model/link.js';
import { projectBrief, projectDesired } from '../../../src/sync/events/projection.js';

// The pure parts of channel links: the target's button rules, the notification message they make,
// and the public event a desired event becomes.

const channelPublicId = '_ZeUTxl';
const target = (buttons: unknown) =>
  channelTargetSchema.safeParse({ kind: 'channel', channelPublicId, buttons });

describe('channel target', () => {
  it.each([
    ['an undocumented title', { before: { title: 'Buy', webUrl: 'https://x.example/' } }, /one of 시청하기/],
    ['a button without a URL', { before: { title: '예약하기' } }, /needs webUrl or mobileWebUrl/],
    ['a URL that is not http(s)', { after: { title: '상세보기', webUrl: 'javascript:alert(1)' } }, /http/],
    ['an unknown key', { before: { title: '상세보기', webUrl: 'https://x.example/', label: 'x' } }, /label/],
  ])('refuses %s', (_name, buttons, message) => {
    const parsed = target(buttons);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(message);
  });

  it('refuses a channel id that is not a profile ID', () => {
    const parsed = channelTargetSchema.safeParse({ kind: 'channel', channelPublicId: 'ZeUTxl' });
    expect(parsed.success).toBe(false);
  });
});

const url = fc.webUrl({ validSchemes: ['https'] }).filter((u) => /^https:\/\/[^/]+\.[a-z]/.test(u));
const button = fc
  .record(
    { title: fc.constantFrom(...publicButtonTitles), webUrl: url, mobileWebUrl: url },
    { requiredKeys: ['title'] },
  )
  .filter((b) => b.webUrl !== undefined || b.mobileWebUrl !== undefined);
const buttons = fc.record({ before: button, after: button, display: fc.boolean() }, { requiredKeys: [] });

describe('notification message', () => {
  it('of any valid target is valid for Kakao and kept whole by it', () => {
    fc.assert(
      fc.property(buttons, (b) => {
        const parsed = target(b);
        if (!parsed.success) return; // a URL the generator made that zod refuses: not a valid target
        const message = notificationMessageOf(parsed.data);
        if (message === undefined) {
          expect(b).toEqual({});
          return;
        }
        expect(validateNotificationMessage(message)).toEqual([]);
        expect(effectiveNotificationMessage(message as Record<string, unknown>)).toEqual(message);
      }),
    );
  });

  it('changes the hash of every unit when the buttons change, and only for channel targets', () => {
    const item: DesiredItem = {
      kind: 'event',
      sourceKey: 'a',
      units: [
        {
          unitKey: 'main',
          event: { title: 'T', time: { start_at: '2030-01-01T00:00:00Z', end_at: '2030-01-01T01:00:00Z' } },
          instances: [],
        },
      ],
      warnings: [],
      exactTimes: {},
    };
    const one = target({ before: { title: '예약하기', webUrl: 'https://a.example/' } }).data as ChannelTarget;
    const two = target({ before: { title: '예매하기', webUrl: 'https://a.example/' } }).data as ChannelTarget;
    const none = target(undefined).data as ChannelTarget;
    const a = withNotificationMessage(one, item);
    const b = withNotificationMessage(two, item);
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(withNotificationMessage(none, item)).toBe(item);
  });
});

describe('public event of a desired event', () => {
  const time = { start_at: '2030-05-01T03:00:00Z', end_at: '2030-05-01T04:00:00Z', time_zone: 'Asia/Seoul' };

  it('is a valid create, without rrule, whose listing projects like the desired event', () => {
    const desired = { title: '공연', time, description: 'd', reminders: [15], color: 'RED' as const };
    const event = toPublicEvent(desired, { display_custom_button: false });
    expect(validateEventCreate(event)).toEqual([]);
    expect(event).toEqual({ ...desired, notification_message: { display_custom_button: false } });
    const listed = briefOf(
      { id: 'x', title: '공연', type: 'PUBLIC', time: { ...time, all_day: false }, color: 'RED' },
      channelPublicId,
    );
    expect(projectBrief(listed)).toBe(projectDesired(desired));
  });

  it('refuses a recurring event or update as an item error', () => {
    expect(() => toPublicEvent({ title: 'R', time, rrule: 'FREQ=DAILY' }, undefined)).toThrow(
      PublicEventUnsupportedError,
    );
    expect(() => toPublicUpdate({ title: 'R', rrule: 'FREQ=DAILY' }, undefined)).toThrow(/cannot recur/);
    expect(toPublicUpdate({ title: 'R', description: '' }, undefined)).toEqual({
      title: 'R',
      description: '',
    });
  });
});

describe('re-plans of channel links', () => {
  const base = parseLink({
    id: 'l',
    source: { type: 'ics', url: 'https://e.org/a.ics' },
    target: {
      kind: 'channel',
      channelPublicId,
      buttons: { before: { title: '예약하기', webUrl: 'https://a.example/' } },
    },
  });
  const withTarget = (extra: object) => ({ ...base, target: { ...base.target, ...extra } }) as Link;

  it('re-plans (updates every event) when the buttons change, not when followers or the audience do', () => {
    expect(needsReplan(base, withTarget({ buttons: { display: false } }))).toBe(true);
    expect(needsReplan(base, withTarget({ followers: ['1', '2'] }))).toBe(false);
    expect(needsReplan(base, withTarget({ audience: { fileName: 'fans' } }))).toBe(false);
  });
});

describe('channel pseudo-users and button options', () => {
  it('names each channel by a user id that maps back to it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^_[A-Za-z0-9]{1,30}$/), (id) => {
        expect(isChannelUserId(channelUserId(id))).toBe(true);
        expect(channelOfUserId(channelUserId(id))).toBe(id);
      }),
    );
    expect(channelOfUserId('4000000001')).toBeUndefined();
  });

  it('reads TITLE=URL[,MOBILE_URL] and refuses anything else in one line', () => {
    expect(parseButton('button-before', '예약하기=https://a.example/?x=1,https://m.example/')).toEqual({
      title: '예약하기',
      webUrl: 'https://a.example/?x=1',
      mobileWebUrl: 'https://m.example/',
    });
    expect(() => parseButton('button-after', 'https://a.example/')).toThrow(
      '--button-after takes TITLE=URL[,MOBILE_URL], e.g. 예약하기=https://example.com/book; got https://a.example/',
    );
  });
});
