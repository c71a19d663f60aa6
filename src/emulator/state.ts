// The emulator's whole in-memory state: users (calendars, events, tasks), tokens, the app's quota,
// public events, subscribable calendars, the request log and pending faults. No I/O here.
import { KakaoApiFailure } from './errors.js';
import { EventIndex } from './event-index.js';
import type {
  EmulatorChannel,
  GuestEdits,
  PublicEvent,
  StoredCalendar,
  StoredTask,
  SubscribableCalendar,
} from './model.js';
import { builtInSubscribables } from './subscribables.js';
import { nextKstMidnight } from './time.js';
import { type TokenSettings, TokenStore } from './tokens.js';

export const allScopes = ['talk_calendar', 'talk_calendar_task', 'plusfriends'];

/** The Talk Channel every emulator starts connected to (public events without channel_public_id). */
export const defaultChannelId = '_emulator';

export interface EmulatorUser {
  id: string;
  scopes: Set<string>;
  calendars: Map<string, StoredCalendar>;
  events: EventIndex;
  tasks: Map<string, StoredTask>;
  subscriptions: Set<string>;
  /** Public event id → the follower's own edits (calendarId always set). */
  follows: Map<string, GuestEdits & { calendarId: string }>;
  /** Subscribed event id → the subscriber's own edits. */
  guestEdits: Map<string, GuestEdits>;
  /** False: a Kakao Account without Kakao Talk (Talk Channel relationship checks answer -501). */
  talkUser: boolean;
  /** Mobile number registered in Kakao Talk (customer files with user_type phone). */
  phone?: string;
}

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  userId?: string;
  status: number;
  code?: number;
  endpoint: string;
  /** The connection was destroyed by a `drop` fault (status 0: before processing). */
  dropped?: boolean;
}

export interface Fault {
  method?: string;
  path: string;
  times: number;
  status?: number;
  code?: number;
  msg?: string;
  drop?: boolean;
  latencyMs?: number;
  afterProcessing?: boolean;
  /** Chance (0 < p ≤ 1) that a matching request gets this fault; the others pass on. Default 1. */
  probability?: number;
}

export interface QuotaState {
  enabled: boolean;
  daily: number;
  used: number;
  resetsAt: Date;
}

export interface AuthCode {
  userId: string;
  clientId: string;
  redirectUri: string;
  expiresAt: number;
}

const requestLogMax = 200_000;

export class EmulatorState {
  readonly users = new Map<string, EmulatorUser>();
  readonly tokens: TokenStore;
  readonly publicEvents = new Map<string, PublicEvent>();
  readonly subscribables = new Map<string, SubscribableCalendar>();
  /** Talk Channels connected to the app, by channel_public_id. */
  readonly channels = new Map<string, EmulatorChannel>();
  readonly authCodes = new Map<string, AuthCode>();
  readonly requestLog: RequestLogEntry[] = [];
  faults: Fault[] = [];
  quota: QuotaState;
  private seq = 0;
  private userSeq = 0;
  private fixedNow: { at: number; rate: number; realAt: number } | undefined;

  constructor(
    tokenSettings: TokenSettings,
    quota: { enabled: boolean; daily: number },
    private readonly clock: (() => Date) | undefined,
    /** Uniform [0, 1) source of the fault draws (seeded in benchmarks). */
    private readonly random: () => number = Math.random,
  ) {
    this.tokens = new TokenStore(tokenSettings);
    this.quota = { ...quota, used: 0, resetsAt: nextKstMidnight(this.now()) };
    for (const s of builtInSubscribables(this.now())) this.subscribables.set(s.id, s);
    this.addChannel(defaultChannelId, '@emulator');
  }

  /** Connects a Talk Channel to the app (kept when it exists). */
  addChannel(publicId: string, uuid = `@${publicId.replace(/^_/, '')}`): EmulatorChannel {
    const existing = this.channels.get(publicId);
    if (existing) return existing;
    const channel: EmulatorChannel = { publicId, uuid, relations: new Map(), files: new Map() };
    this.channels.set(publicId, channel);
    return channel;
  }

  now(): Date {
    if (this.clock) return this.clock();
    if (!this.fixedNow) return new Date();
    const { at, rate, realAt } = this.fixedNow;
    return new Date(at + (rate > 0 ? (Date.now() - realAt) * rate : 0));
  }

  /**
   * Moves the clock (only when no `now` option was given): it reads `now` at real time `realAt`
   * (default: this moment) and from then on stands still (rate 0) or runs `rate` times faster than
   * real time, so a benchmark can move the emulator's day in step with a daemon on a scaled clock.
   */
  setNow(now: Date, rate = 0, realAt = Date.now()): void {
    if (this.clock)
      throw new KakaoApiFailure(409, -2, 'the emulator was started with its own clock (option now)');
    this.fixedNow = { at: now.getTime(), rate, realAt };
  }

  createUser(userId?: string, scopes: string[] = allScopes): EmulatorUser {
    const id = userId ?? String(4_000_000_000 + ++this.userSeq);
    const existing = this.users.get(id);
    if (existing) return existing;
    const user: EmulatorUser = {
      id,
      scopes: new Set(scopes),
      calendars: new Map([
        ['primary', { id: 'primary', name: 'My Calendar', color: 'BLUE', ownedByApp: false }],
      ]),
      events: new EventIndex(),
      tasks: new Map(),
      subscriptions: new Set(),
      follows: new Map(),
      guestEdits: new Map(),
      talkUser: true,
    };
    this.users.set(id, user);
    return user;
  }

  /** Counts one Talk Calendar call; false when the day's budget is spent. Resets at KST midnight. */
  takeQuota(): boolean {
    this.rollQuotaDay();
    const q = this.quota;
    if (!q.enabled) return true;
    if (q.used >= q.daily) return false;
    q.used++;
    return true;
  }

  /** Starts a new quota day once the clock passed KST midnight. */
  rollQuotaDay(): void {
    const now = this.now();
    const resets = this.quota.resetsAt.getTime();
    // KST has no DST: a day is 24 h. A clock moved backwards also starts the day it lands in.
    if (now.getTime() >= resets || now.getTime() < resets - 86_400_000) {
      this.quota.used = 0;
      this.quota.resetsAt = nextKstMidnight(now);
    }
  }

  /** The first pending fault matching the request (and winning its draw), consumed. */
  takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        f.times > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (f.path.endsWith('*') ? path.startsWith(f.path.slice(0, -1)) : f.path === path) &&
        (f.probability === undefined || this.random() < f.probability),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    fault.times--;
    if (fault.times <= 0) this.faults.splice(i, 1);
    return fault;
  }

  log(entry: Omit<RequestLogEntry, 'seq' | 'at'>): void {
    if (this.requestLog.length >= requestLogMax) this.requestLog.splice(0, requestLogMax / 10);
    this.requestLog.push({ seq: ++this.seq, at: this.now().toISOString(), ...entry });
  }
}
