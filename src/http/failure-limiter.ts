// Counts failures per client (wrong published-feed tokens per address) in one-minute windows: a
// client past `limit` failures is refused until the window ends. All counts start again with each
// window, so the memory held is the clients that failed within the last minute.

export class FailureLimiter {
  private counts = new Map<string, number>();
  private windowStart: number;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = now();
  }

  private roll(): number {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.counts = new Map();
      this.windowStart = now - ((now - this.windowStart) % this.windowMs);
    }
    return now;
  }

  /** Seconds until `client` may try again, or undefined when it may now. */
  blockedFor(client: string): number | undefined {
    const now = this.roll();
    if ((this.counts.get(client) ?? 0) < this.limit) return undefined;
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
  }

  fail(client: string): void {
    this.roll();
    this.counts.set(client, (this.counts.get(client) ?? 0) + 1);
  }
}
