import type { Logger } from '../log.js';

// BullMQ's Queue, QueueEvents and Worker emit 'error' for each failed (re)connection: unheard, an
// 'error' event crashes the process, and a stack trace per attempt floods the log during a Redis
// outage. Each emitter gets a listener that logs one line per distinct message per interval
// (log.repeatedErrorEverySeconds), saying how many repeats it held back.

interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type WatchErrors = (emitter: ErrorEmitter, what: string) => void;

/** Past this many remembered messages, those older than the interval are forgotten. */
const rememberedMessages = 64;

export function queueErrorLog(logger: Logger, everyMs: number, now: () => number = Date.now): WatchErrors {
  const last = new Map<string, { at: number; held: number }>();
  const forgetOld = (t: number) => {
    if (last.size < rememberedMessages) return;
    for (const [key, seen] of last) if (t - seen.at >= everyMs) last.delete(key);
  };
  return (emitter, what) => {
    emitter.on('error', (error: Error) => {
      const message = error.message.split('\n')[0] ?? '';
      const key = `${what}\n${message}`;
      const t = now();
      const seen = last.get(key);
      if (seen && t - seen.at < everyMs) {
        seen.held += 1;
        return;
      }
      forgetOld(t);
      last.set(key, { at: t, held: 0 });
      const repeats = seen?.held ?? 0;
      logger.error(
        { source: what, repeats },
        `${what}: ${message}${repeats > 0 ? ` (${repeats} more)` : ''}`,
      );
    });
  };
}
