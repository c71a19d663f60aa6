import { TalkcalError } from '../model/errors.js';

// Typed errors of channel links: each says what is wrong and what to do, in one line.

/** Channel links write with the app's admin key; without one nothing can be synced. */
export class ChannelAdminKeyMissingError extends TalkcalError {
  readonly scope = 'app';
  constructor(readonly channelPublicId: string) {
    super(
      `channel ${channelPublicId}: channel links need the app's admin key; set kakao.adminKey ` +
        '(TALKCAL_KAKAO__ADMIN_KEY) and try again',
    );
  }
}

/** A link with a channel target under a user, or another target under a channel. */
export class ChannelLinkPlacementError extends TalkcalError {
  readonly scope = 'item';
}

/** User ids starting with `channel_` name channels; a person cannot be registered under one. */
export class ReservedUserIdError extends TalkcalError {
  readonly scope = 'item';
  constructor(readonly userId: string) {
    super(`user id ${userId} is reserved for channel links (ids starting with channel_); choose another id`);
  }
}

/** What public events cannot be: recurring, edited per instance, or tasks. The item is quarantined. */
export class PublicEventUnsupportedError extends TalkcalError {
  readonly scope = 'item';
}

/** A channel link given on the command line in a form that cannot be read (e.g. a button option). */
export class ChannelLinkInputError extends TalkcalError {
  readonly scope = 'item';
}
