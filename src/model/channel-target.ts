import { z } from 'zod';
import { channelLimits } from '../kakao/channel-types.js';
import { publicButtonTitles } from '../kakao/public-types.js';

// The Kakao side of a channel link: the service's Talk Channel, whose public events mirror the
// source. Its notification buttons are checked here, before any call: Kakao refuses an undocumented
// title and silently swaps a button with a broken URL for its default 공유하기 (Share).

/** What a Talk Channel profile ID looks like: pf.kakao.com/_ZeUTxl → `_ZeUTxl`. */
export const channelPublicIdSchema = z
  .string()
  .regex(/^_[A-Za-z0-9]{1,30}$/, 'a Talk Channel ID such as _ZeUTxl (the end of its pf.kakao.com URL)');

const buttonUrl = z.url({ protocol: /^https?$/, hostname: /./, error: 'an http:// or https:// URL' });

export const channelButtonSchema = z
  .strictObject({
    /** One of the documented names (Korean only): 시청하기, 예매하기, 예약하기, 참여하기, 상세보기. */
    title: z.enum(publicButtonTitles, { error: `one of ${publicButtonTitles.join(', ')}` }),
    webUrl: buttonUrl.optional(),
    mobileWebUrl: buttonUrl.optional(),
  })
  .refine((b) => b.webUrl !== undefined || b.mobileWebUrl !== undefined, {
    message: 'a button needs webUrl or mobileWebUrl (without a link Kakao shows its default 공유하기)',
  });
export type ChannelButton = z.infer<typeof channelButtonSchema>;

export const channelTargetSchema = z.strictObject({
  kind: z.literal('channel'),
  channelPublicId: channelPublicIdSchema,
  /** Custom buttons of the notification messages sent before and after each event starts. */
  buttons: z
    .strictObject({
      before: channelButtonSchema.optional(),
      after: channelButtonSchema.optional(),
      /** false: no custom button at all (Kakao's default is true: custom, else 공유하기). */
      display: z.boolean().optional(),
    })
    .optional(),
  /**
   * Registered users for whom every public event of the link is followed (added to their calendar).
   * Each must have added the channel; the count is bounded by config.channels.maxFollowersPerLink.
   */
  followers: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a registered user id'))
    .refine((ids) => new Set(ids).size === ids.length, 'each follower once')
    .optional(),
  /**
   * A Talk Channel customer file kept in step with the users who follow the link's events, so the
   * operator can message exactly them (needs kakao.restApiKey). Created on first use, by this name.
   */
  audience: z
    .strictObject({ fileName: z.string().trim().min(1).max(channelLimits.customerFileNameMax) })
    .optional(),
});
export type ChannelTarget = z.infer<typeof channelTargetSchema>;
