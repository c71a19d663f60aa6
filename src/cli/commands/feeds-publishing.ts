// What `talkcal feeds` needs from src/publish/, in one module that a feeds command imports when it
// runs (never for `--help`).
import type { DaemonContext } from '../../daemon/context.js';
import { FeedStore } from '../../publish/feed-store.js';
import { publishKeys } from '../../publish/keys.js';

export { feedUrls, publicFeed } from '../../publish/feed.js';
export { checkAllowed, holidayRefresher } from '../../publish/publisher.js';

export const storeOf = (ctx: DaemonContext) =>
  new FeedStore(ctx.redis, publishKeys(ctx.config.redis.keyPrefix));
