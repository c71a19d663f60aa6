import type { Config } from '../config/schema.js';
import { type CallPurpose, callPurposes, type QuotaGate } from '../model/quota.js';
import type { RedisConnection } from '../registry/redis.js';
import { koreanDay, koreanDayElapsed, nextKoreanMidnight } from './korean-day.js';
import { acquireScript, exhaustedScript, refundScript } from './quota-governor.lua.js';

// The app-wide Talk Calendar budget, shared by all workers through Redis: a daily budget counted per
// Korean calendar day and a per-second rate. Writes are never refused for lack of budget (they carry
// what the user changed) but wait for the rate; verification reads share what is left fairly among
// users, keeping `writeReserve` of the day for writes, and are deferred when the day runs low; first
// syncs (their listing and creates) stop at the same line, so new users never take the reserve. Every
// HTTP request that reaches Kakao is counted: a grant pays for a call's first request, `charge` for
// the rest (next pages, retries, repeats after a token refresh), so `used` is what Kakao counts.

export interface QuotaStatus {
  day: string;
  budget: number;
  used: number;
  remaining: number;
  byPurpose: Record<CallPurpose, number>;
  /** Calls the day will have used at its end at today's pace so far. */
  projected: number;
  /** True when verification reads are being deferred (the budget outside the write reserve is spent). */
  verificationDeferred: boolean;
  /** True after Kakao answered -10 today. */
  exhausted: boolean;
  resetsAt: string;
  perSecond: number;
}

export interface QuotaGovernorOptions {
  /** How many users share the verification budget (the number of active users). */
  userCount?: () => Promise<number>;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export class QuotaGovernor implements QuotaGate {
  private readonly tag: string;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private cachedUsers = { count: 1, at: 0 };

  constructor(
    private readonly redis: RedisConnection,
    private readonly quota: Config['quota'],
    keyPrefix: string,
    private readonly options: QuotaGovernorOptions = {},
  ) {
    this.tag = `{${keyPrefix}:quota}`;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  acquire(userId: string, purpose: CallPurpose, calls = 1): Promise<boolean> {
    return this.take(userId, purpose, calls, false);
  }

  /** Counts calls already committed to (next pages, retries, repeats): paced, never refused. */
  async charge(userId: string, purpose: CallPurpose, calls = 1): Promise<void> {
    await this.take(userId, purpose, calls, true);
  }

  private async take(userId: string, purpose: CallPurpose, calls: number, charge: boolean): Promise<boolean> {
    let left = Math.max(0, Math.floor(calls));
    const users = await this.userCount();
    // Larger reservations are taken a second's worth at a time so the rate holds across workers;
    // each step checks the budget for everything still needed.
    const taken = new Map<string, number>();
    while (left > 0) {
      const chunk = Math.min(left, this.quota.perSecond);
      const day = koreanDay(this.now());
      const [granted, waitMs] = (await acquireScript.run(
        this.redis,
        [this.dayKey(day), `${this.tag}:rate`, `${this.tag}:verify:${day}`, `${this.tag}:slow`],
        [
          purpose,
          chunk,
          this.quota.dailyBudget,
          this.quota.perSecond,
          this.quota.writeReserve,
          userId,
          users,
          left,
          charge ? 1 : 0,
        ],
      )) as [number, number];
      if (granted === 1) {
        left -= chunk;
        taken.set(day, (taken.get(day) ?? 0) + chunk);
      } else if (granted === 0) {
        // Refused part-way (others took the day meanwhile): give back what was taken.
        for (const [d, n] of taken) {
          await refundScript.run(
            this.redis,
            [this.dayKey(d), `${this.tag}:verify:${d}`],
            [purpose, n, userId],
          );
        }
        return false;
      } else {
        await this.sleep(Math.max(1, waitMs) + Math.floor(Math.random() * 20));
      }
    }
    return true;
  }

  /** Kakao answered -10: treat today's budget as spent and halve the rate until the reset. */
  async noteExhausted(resetsAt?: Date): Promise<void> {
    const now = this.now();
    const reset = resetsAt ?? nextKoreanMidnight(now);
    await exhaustedScript.run(
      this.redis,
      [this.dayKey(koreanDay(now)), `${this.tag}:slow`],
      [Math.max(1, reset.getTime() - now.getTime())],
    );
  }

  /** When Kakao has answered -10 today: the reset time; else undefined. */
  async exhaustedUntil(): Promise<Date | undefined> {
    const now = this.now();
    const flag = await this.redis.hget(this.dayKey(koreanDay(now)), 'exhausted');
    return flag === '1' ? nextKoreanMidnight(now) : undefined;
  }

  async status(): Promise<QuotaStatus> {
    const now = this.now();
    const day = koreanDay(now);
    const raw = await this.redis.hgetall(this.dayKey(day));
    const used = Number(raw['used'] ?? 0);
    const budget = this.quota.dailyBudget;
    const elapsed = Math.max(koreanDayElapsed(now), 1 / 1440);
    const byPurpose = Object.fromEntries(callPurposes.map((p) => [p, Number(raw[p] ?? 0)])) as Record<
      CallPurpose,
      number
    >;
    const slowed = (await this.redis.exists(`${this.tag}:slow`)) === 1;
    return {
      day,
      budget,
      used,
      remaining: raw['exhausted'] === '1' ? 0 : Math.max(0, budget - used),
      byPurpose,
      projected: Math.round(used / elapsed),
      verificationDeferred:
        raw['exhausted'] === '1' || used >= Math.floor(budget * (1 - this.quota.writeReserve)),
      exhausted: raw['exhausted'] === '1',
      resetsAt: nextKoreanMidnight(now).toISOString(),
      perSecond: slowed ? Math.max(1, Math.floor(this.quota.perSecond / 2)) : this.quota.perSecond,
    };
  }

  /** Removes every governor key (tests, `users rm` of the last user is not a reason). */
  async clear(): Promise<void> {
    const day = koreanDay(this.now());
    await this.redis.del(this.dayKey(day));
    await this.redis.del(`${this.tag}:rate`);
    await this.redis.del(`${this.tag}:verify:${day}`);
    await this.redis.del(`${this.tag}:slow`);
  }

  private dayKey(day: string): string {
    return `${this.tag}:day:${day}`;
  }

  private async userCount(): Promise<number> {
    if (!this.options.userCount) return 1;
    const at = Date.now();
    if (at - this.cachedUsers.at > 60_000) {
      this.cachedUsers = { count: Math.max(1, await this.options.userCount()), at };
    }
    return this.cachedUsers.count;
  }
}
