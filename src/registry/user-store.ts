import { z } from 'zod';
import type { SecretBox } from './crypto.js';
import { InvalidRegistryInputError, UserNotFoundError } from './errors.js';
import type { RegistryKeys } from './keys.js';
import { encodeCursor, type Page, type PageRequest } from './page-request.js';
import type { RedisConnection } from './redis.js';
import { UserOrderIndex } from './user-order-index.js';
import { type UserState, userStates } from './user-state.js';
import { UserStateIndex } from './user-state-index.js';

// Users: profile, state and sealed OAuth tokens, one Redis hash per user. The tokens are sealed with
// the user id as associated data, so a ciphertext copied to another user's hash does not open.

export { type UserState, userStates } from './user-state.js';

/** Kakao OAuth tokens of one user (times are epoch milliseconds). */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: number;
  refreshTokenExpiresAt?: number;
  scopes?: string[];
}

/** What the API and CLI may show of a user: nothing secret. */
export interface UserProfile {
  id: string;
  timeZone: string;
  state: UserState;
  /** Scheduled sync interval; undefined = config.sync.intervalMinutes. */
  intervalMinutes?: number;
  hasTokens: boolean;
  /** Set for the pseudo-user that holds a Talk Channel's links (no tokens: it writes with the admin key). */
  channel?: string;
  stateReason?: string;
  createdAt: string;
  updatedAt: string;
}

export const userIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or - (at most 64)');

const tokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  accessTokenExpiresAt: z.number(),
  refreshTokenExpiresAt: z.number().optional(),
  scopes: z.array(z.string()).optional(),
});

export interface NewUser {
  id: string;
  timeZone: string;
  intervalMinutes?: number;
  tokens?: StoredTokens;
  /** The Talk Channel this pseudo-user stands for (channel links). */
  channel?: string;
}

export class UserStore {
  readonly states: UserStateIndex;
  private readonly order: UserOrderIndex;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RegistryKeys,
    private readonly box: SecretBox,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.states = new UserStateIndex(redis, keys);
    this.order = new UserOrderIndex(redis, keys);
  }

  /** Creates the user, or updates profile fields and tokens of an existing one. */
  async upsert(input: NewUser): Promise<UserProfile> {
    const id = parseUserId(input.id);
    const key = this.keys.user(id);
    const stamp = this.now().toISOString();
    const fields: Record<string, string> = { id, timeZone: input.timeZone, updatedAt: stamp };
    if (input.intervalMinutes !== undefined) fields['intervalMinutes'] = String(input.intervalMinutes);
    if (input.channel !== undefined) fields['channel'] = input.channel;
    if (input.tokens) {
      fields['tokens'] = this.sealTokens(id, input.tokens);
      fields['state'] = 'active';
      fields['stateReason'] = '';
    }
    await this.redis.hsetnx(key, 'createdAt', stamp);
    await this.redis.hsetnx(key, 'state', 'active');
    await this.redis.hset(key, fields);
    await this.redis.sadd(this.keys.users(), id);
    await this.order.add(id);
    const profile = await this.get(id);
    await this.states.set(id, profile.state);
    return profile;
  }

  async exists(userId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.user(userId))) === 1;
  }

  async get(userId: string): Promise<UserProfile> {
    const raw = await this.redis.hgetall(this.keys.user(userId));
    if (!raw['id']) throw new UserNotFoundError(userId);
    return toProfile(raw);
  }

  /** Every user (admin listings; hot paths count with `states` instead). Reads in parallel batches. */
  async list(): Promise<UserProfile[]> {
    const profiles: UserProfile[] = [];
    for await (const ids of this.idBatches()) {
      const raws = await Promise.all(ids.map((id) => this.redis.hgetall(this.keys.user(id))));
      for (const raw of raws) if (raw['id']) profiles.push(toProfile(raw));
    }
    return profiles.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * One page of users in id order, after the request's cursor: paging through sees every user that
   * exists for the whole listing exactly once, while users are added or removed in between.
   */
  async page(request: PageRequest): Promise<Page<UserProfile>> {
    if (request.after === undefined) await this.order.ensure(() => this.idBatches());
    const ids = await this.order.idsAfter(request.after, request.limit + 1);
    const shown = ids.slice(0, request.limit);
    const raws = await Promise.all(shown.map((id) => this.redis.hgetall(this.keys.user(id))));
    const items = raws.filter((raw) => raw['id']).map(toProfile);
    const last = shown[shown.length - 1];
    return { items, next: ids.length > request.limit && last !== undefined ? encodeCursor(last) : null };
  }

  /** The users whose id starts with `prefix` (e.g. the channels' pseudo-users), without reading the others. */
  async withIdPrefix(prefix: string): Promise<UserProfile[]> {
    await this.order.ensure(() => this.idBatches());
    const ids = await this.order.idsStartingWith(prefix);
    const raws = await Promise.all(ids.map((id) => this.redis.hgetall(this.keys.user(id))));
    return raws.filter((raw) => raw['id']).map(toProfile);
  }

  /** User ids in batches (SSCAN: no single huge reply). */
  async *idBatches(count = 500): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, ids] = await this.redis.sscan(this.keys.users(), cursor, 'COUNT', count);
      cursor = next;
      if (ids.length > 0) yield ids;
    } while (cursor !== '0');
  }

  /**
   * Builds the per-state sets from the user hashes when this registry has never had them (sets that
   * already count every user, kept since the first one, are only marked built).
   */
  async ensureStateIndex(): Promise<void> {
    if (await this.states.built()) return;
    if (await this.states.markBuiltIfComplete(await this.redis.scard(this.keys.users()))) return;
    await this.states.rebuild(this.idBatches(), async (id) => {
      const raw = await this.redis.hgetall(this.keys.user(id));
      return raw['id'] ? toProfile(raw).state : undefined;
    });
  }

  async setState(userId: string, state: UserState, reason = ''): Promise<void> {
    if (!(await this.exists(userId))) throw new UserNotFoundError(userId);
    await this.redis.hset(this.keys.user(userId), {
      state,
      stateReason: reason,
      updatedAt: this.now().toISOString(),
    });
    await this.states.set(userId, state);
  }

  async getTokens(userId: string): Promise<StoredTokens | undefined> {
    const sealed = await this.redis.hget(this.keys.user(userId), 'tokens');
    if (!sealed) return undefined;
    return tokensSchema.parse(JSON.parse(this.box.open(sealed, `user:${userId}`))) as StoredTokens;
  }

  async saveTokens(userId: string, tokens: StoredTokens): Promise<void> {
    if (!(await this.exists(userId))) throw new UserNotFoundError(userId);
    await this.redis.hset(this.keys.user(userId), {
      tokens: this.sealTokens(userId, tokens),
      updatedAt: this.now().toISOString(),
    });
  }

  /** Deletes the user and every registry key of theirs. */
  async remove(userId: string): Promise<boolean> {
    const existed = await this.exists(userId);
    await this.redis.del(this.keys.user(userId));
    await this.redis.del(this.keys.links(userId));
    await this.redis.del(this.keys.leftCalendars(userId));
    await this.redis.del(this.keys.lastRun(userId));
    await this.redis.del(this.keys.linkStatus(userId));
    await this.redis.srem(this.keys.users(), userId);
    await this.order.drop(userId);
    await this.states.drop(userId);
    return existed;
  }

  /** Re-seals the user's tokens with the active key; true when they were sealed with another. */
  async reseal(userId: string): Promise<boolean> {
    const sealed = await this.redis.hget(this.keys.user(userId), 'tokens');
    if (!sealed || this.box.keyIdOf(sealed) === this.box.activeKeyId) return false;
    const tokens = await this.getTokens(userId);
    if (tokens) await this.redis.hset(this.keys.user(userId), 'tokens', this.sealTokens(userId, tokens));
    return true;
  }

  private sealTokens(userId: string, tokens: StoredTokens): string {
    return this.box.seal(JSON.stringify(tokensSchema.parse(tokens)), `user:${userId}`);
  }
}

export function parseUserId(id: unknown): string {
  const parsed = userIdSchema.safeParse(id);
  if (!parsed.success)
    throw new InvalidRegistryInputError(`invalid user id: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function toProfile(raw: Record<string, string>): UserProfile {
  const state = (userStates as readonly string[]).includes(raw['state'] ?? '')
    ? (raw['state'] as UserState)
    : 'active';
  const interval = Number(raw['intervalMinutes']);
  return {
    id: raw['id'] ?? '',
    timeZone: raw['timeZone'] ?? 'Asia/Seoul',
    state,
    ...(Number.isInteger(interval) && interval > 0 ? { intervalMinutes: interval } : {}),
    hasTokens: Boolean(raw['tokens']),
    ...(raw['channel'] ? { channel: raw['channel'] } : {}),
    ...(raw['stateReason'] ? { stateReason: raw['stateReason'] } : {}),
    createdAt: raw['createdAt'] ?? '',
    updatedAt: raw['updatedAt'] ?? '',
  };
}
