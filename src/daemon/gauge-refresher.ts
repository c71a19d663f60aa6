import type { DaemonContext } from './context.js';
import { refreshGauges } from './status.js';

// The gauges read from Redis (users by state, queue, quota, link successes) are refreshed on a timer
// of their own, every `http.metricsRefreshSeconds`, not inside each scrape: a scrape then costs the
// rendering of values already in memory, however many users and links there are and however busy
// Redis is. Only the first scrape waits, for the first refresh. The timer starts with that scrape,
// so a daemon nobody scrapes reads nothing for its gauges.

export class GaugeRefresher {
  private first?: Promise<void>;
  private running?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly ctx: DaemonContext) {}

  /** Resolves once the gauges were refreshed at least once (at once after that). */
  ready(): Promise<void> {
    if (this.first === undefined && !this.stopped) {
      this.first = this.refresh();
      const every = this.ctx.config.http.metricsRefreshSeconds * 1000;
      this.timer = setInterval(() => void this.refresh(), every);
      this.timer.unref();
    }
    return this.first ?? Promise.resolve();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** One refresh at a time: a slow one is not overtaken by the next tick. */
  private refresh(): Promise<void> {
    this.running ??= refreshGauges(this.ctx)
      .catch((error) => this.ctx.logger.warn({ err: error }, 'metrics: gauges not refreshed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
