import type { FeedHandler } from '../chaos/feed-host.js';

// A feed that answers with an ETag and 304 to a poll that already has it, and logs when each request
// came and what it got: each poll of a user fetches the feed once, so the log is the polls' timeline.

export interface FeedRequest {
  at: number;
  status: 200 | 304;
}

export interface LoggedFeed {
  handler: FeedHandler;
  requests: FeedRequest[];
}

export function loggedFeed(body: string): LoggedFeed {
  const bytes = Buffer.from(body, 'utf8');
  const etag = '"scale-1"';
  const requests: FeedRequest[] = [];
  const handler: FeedHandler = (request, response) => {
    const notModified = request.headers['if-none-match'] === etag;
    requests.push({ at: Date.now(), status: notModified ? 304 : 200 });
    if (notModified) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/calendar; charset=utf-8',
      'content-length': bytes.length,
      etag,
    });
    response.end(bytes);
  };
  return { handler, requests };
}
