// A local HTTP server for feed tests: each test sets the handler; requests are recorded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FeedServer {
  url: (path?: string) => string;
  port: number;
  requests: IncomingMessage[];
  handle: (handler: Handler) => void;
  close: () => Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  let handler: Handler = (_req, res) => {
    res.writeHead(500);
    res.end();
  };
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = '/feed.ics') => `http://127.0.0.1:${port}${path}`,
    requests,
    handle: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const calendarText = (...uids: string[]) =>
  `${[
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//feed//EN',
    ...uids.flatMap((uid) => [
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20240101T000000Z',
      'DTSTART:20240101T100000Z',
      `SUMMARY:Event ${uid}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ].join('\r\n')}\r\n`;
