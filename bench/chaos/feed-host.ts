import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// The feeds a chaos run serves on loopback: /<name>.ics answers a fixed body, or a handler that
// writes a hostile one (streamed, endless, compressed). Closing destroys every open connection, so an
// endless body never outlives the run.

export type FeedHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface FeedHost {
  url(name: string): string;
  /** Serves `body` (text/calendar; charset=utf-8, no validators: every poll gets the whole body). */
  set(name: string, body: string | Buffer): void;
  handle(name: string, handler: FeedHandler): void;
  close(): Promise<void>;
}

export async function startFeedHost(): Promise<FeedHost> {
  const handlers = new Map<string, FeedHandler>();
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const name = /^\/([^/?]+)\.ics(?:\?|$)/.exec(request.url ?? '')?.[1];
    const handler = name ? handlers.get(name) : undefined;
    if (!handler) {
      response.writeHead(404).end();
      return;
    }
    handler(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}.ics`,
    set(name, body) {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      handlers.set(name, (_req, res) => {
        res.writeHead(200, {
          'content-type': 'text/calendar; charset=utf-8',
          'content-length': bytes.length,
        });
        res.end(bytes);
      });
    },
    handle(name, handler) {
      handlers.set(name, handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
