import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DaemonContext } from '../daemon/context.js';
import { FailureLimiter } from '../http/failure-limiter.js';
import { addRoute } from '../http/route-spec.js';
import { UserNotFoundError } from '../registry/errors.js';
import { acceptsGzip, etagOf, notModified } from './conditional.js';
import { FeedNotFoundError, InvalidFeedInputError } from './errors.js';
import { publicFeed } from './feed.js';
import type { RenderedFeed } from './feed-builder.js';
import { feedRouteDocs } from './feed-route-docs.js';
import type { IssuedFeed } from './feed-store.js';
import { checkAllowed, type Publisher } from './publisher.js';

// The published feeds over HTTP. Public: GET/HEAD /feeds/<token>.ics (the token is the only
// credential; anything that is not a current token gets the same 404). Behind the admin token:
// /api/users/:userId/feeds to create, list, rotate and revoke.

const notFound = (reply: FastifyReply) =>
  reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('not found\n');

export function registerFeedRoutes(app: FastifyInstance, ctx: DaemonContext, publisher: Publisher): void {
  const maxAge = ctx.config.publish.refreshIntervalMinutes * 60;
  const { feedRequests, feedRenderDuration } = ctx.metrics;
  // Wrong tokens are counted per client address; past the bound every feed request of that address
  // is refused until the minute is over, a valid token included (else guessing would go on).
  // The count is kept in Redis: every daemon behind one load balancer counts the same guesses.
  const guesses = new FailureLimiter(ctx.redis, {
    keyPrefix: ctx.config.redis.keyPrefix,
    limit: ctx.config.http.feedTokenFailuresPerMinute,
  });
  const missing = async (reply: FastifyReply, client: string) => {
    await guesses.fail(client);
    feedRequests.inc({ outcome: '404' });
    return notFound(reply);
  };
  // A wildcard, so that any path under /feeds (too long, nested) gets this route's one 404; the token
  // is read from it here (feedRouteDocs.feed only documents it as a path parameter).
  app.get<{ Params: { '*': string } }>(feedRouteDocs.feed.url, async (request, reply) => {
    const retryAfter = await guesses.blockedFor(request.ip);
    if (retryAfter !== undefined) {
      feedRequests.inc({ outcome: '429' });
      return reply
        .code(429)
        .header('retry-after', String(retryAfter))
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send(
          `too many wrong feed links from this address (http.feedTokenFailuresPerMinute); retry in ${retryAfter} s\n`,
        );
    }
    const match = /^([^/]+)\.ics$/.exec(request.params['*']);
    const feed = match?.[1] ? await publisher.store.byToken(match[1]) : undefined;
    if (!feed) return missing(reply, request.ip);
    let rendered: RenderedFeed;
    const endRender = feedRenderDuration.startTimer();
    try {
      rendered = await publisher.builder.render(feed);
    } catch (error) {
      // A feed whose user is gone answers like any unknown token (and says nothing about users).
      if (error instanceof UserNotFoundError) return missing(reply, request.ip);
      throw error;
    } finally {
      endRender();
    }
    const gzip = acceptsGzip(request.headers['accept-encoding']);
    reply
      .header('cache-control', `private, max-age=${maxAge}`)
      .header('etag', etagOf(rendered.hash, gzip))
      .header('last-modified', rendered.lastModified.toUTCString())
      .header('vary', 'Accept-Encoding')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-robots-tag', 'noindex');
    if (rendered.verifiedAt) reply.header('x-talkcal-verified-at', rendered.verifiedAt);
    const conditional = {
      ifNoneMatch: request.headers['if-none-match'],
      ifModifiedSince: request.headers['if-modified-since'],
    };
    if (notModified(conditional, rendered.hash, rendered.lastModified)) {
      feedRequests.inc({ outcome: '304' });
      return reply.code(304).send();
    }
    feedRequests.inc({ outcome: '200' });
    reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', 'inline; filename="calendar.ics"');
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? rendered.gzipped : rendered.body);
  });
}

function issued(publisher: Publisher, made: IssuedFeed) {
  return { feed: publicFeed(made.feed), token: made.token, ...publisher.urls(made.token) };
}

export function registerFeedAdminRoutes(
  app: FastifyInstance,
  ctx: DaemonContext,
  publisher: Publisher,
): void {
  const { store } = publisher;
  const docs = feedRouteDocs;
  const feedErrors = (error: unknown, reply: FastifyReply) => {
    if (error instanceof FeedNotFoundError)
      return reply.code(404).send({ error: error.message, kind: error.name });
    if (error instanceof InvalidFeedInputError)
      return reply.code(400).send({ error: error.message, kind: error.name });
    throw error;
  };

  addRoute(app, docs.refreshHolidays, async (_input, _request, reply) => {
    if (!ctx.config.publish.includeHolidays)
      return reply.code(409).send({ error: 'the holidays feed is off: set publish.includeHolidays' });
    const stored = await publisher.refreshHolidays();
    return { fetchedAt: stored.fetchedAt, from: stored.from, to: stored.to, count: stored.events.length };
  });
  addRoute(app, docs.list, async ({ params }) => {
    await ctx.registry.users.get(params.userId);
    return { feeds: (await store.list(params.userId)).map(publicFeed) };
  });
  addRoute(app, docs.create, async ({ params, body }, _request, reply) => {
    await ctx.registry.users.get(params.userId);
    try {
      checkAllowed(ctx, body);
      return reply.code(201).send(issued(publisher, await store.create(params.userId, body)));
    } catch (error) {
      return feedErrors(error, reply);
    }
  });
  addRoute(app, docs.rotate, async ({ params }, _request, reply) => {
    try {
      return issued(publisher, await store.rotate(params.userId, params.feedId));
    } catch (error) {
      return feedErrors(error, reply);
    }
  });
  addRoute(app, docs.revoke, async ({ params }, _request, reply) => {
    try {
      const removed = await store.revoke(params.userId, params.feedId);
      return reply.code(removed ? 204 : 404).send();
    } catch (error) {
      return feedErrors(error, reply);
    }
  });
}
