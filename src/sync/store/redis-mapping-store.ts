import type { Cluster, Redis } from 'ioredis';
import { LuaScript } from '../../registry/lua-script.js';
import { LockLostError } from '../errors.js';
import type { SyncKeys } from './keys.js';
import { type CreateIntent, emptyLinkState, type IdentityMode, type LinkState } from './mapping.js';
import type { Fence, MappingChange, MappingStore } from './mapping-store.js';
import { decodeItem, encodeItem } from './stored-records.js';

// The mapping store on Redis. Writes run as one Lua script per commit (sent by SHA): it checks the fencing token
// against the lock key and then writes mapping, intents, meta and verification state together, so
// a crash leaves either the whole commit or none of it, and a stale lock holder writes nothing.

// KEYS: 1 lock  2 items  3 intents  4 meta  5 verification books.  ARGV: 1 fencing token  2 change (JSON).
const commitScript = new LuaScript(
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('LOCKLOST fencing token is stale') end
local c = cjson.decode(ARGV[2])
if c.replaceAll then redis.call('DEL', KEYS[2]) end
for _, kv in ipairs(c.put) do redis.call('HSET', KEYS[2], kv[1], kv[2]) end
for _, k in ipairs(c.remove) do redis.call('HDEL', KEYS[2], k) end
for _, kv in ipairs(c.intents) do redis.call('HSET', KEYS[3], kv[1], kv[2]) end
for _, k in ipairs(c.settle) do redis.call('HDEL', KEYS[3], k) end
for _, kv in ipairs(c.meta) do redis.call('HSET', KEYS[4], kv[1], kv[2]) end
if c.replaceBooks then redis.call('DEL', KEYS[5]) end
for _, kv in ipairs(c.verified) do redis.call('HSET', KEYS[5], kv[1], kv[2]) end
if c.replanDone and redis.call('HGET', KEYS[4], 'replan') == c.replanDone then redis.call('HDEL', KEYS[4], 'replan') end
return 1
`,
  5,
);

// A link with nothing mapped, no open intent and no cursor has written nothing into its calendar.
// KEYS: 1 items  2 intents  3 meta.
const emptyCalendarScript = new LuaScript(
  `
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('HEXISTS', KEYS[3], 'cursor') == 1 then return 0 end
redis.call('HSET', KEYS[3], 'needsFullListing', '0')
return 1
`,
  3,
);

interface WirePayload {
  replaceAll: boolean;
  put: [string, string][];
  remove: string[];
  intents: [string, string][];
  settle: string[];
  meta: [string, string][];
  verified: [string, string][];
  /** The books are replaced as a whole (stretches painted over by newer reads are gone). */
  replaceBooks: boolean;
  /** The re-plan request this commit fulfils (deleted only if no newer one arrived meanwhile). */
  replanDone?: string;
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new Error(`corrupt ${what} in the mapping store`, { cause });
  }
}

export class RedisMappingStore implements MappingStore {
  /** Re-plan requests seen by `load`, by user/link, until a commit with a new cursor fulfils them. */
  private readonly replans = new Map<string, string>();

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: SyncKeys,
  ) {}

  /**
   * Asks the next run of the link to re-read and re-translate every source item (after its
   * filters, privacy, target or reminders policy changed): it loads without cursor and without
   * item versions. Nothing else changes, so the plan still goes through the mass-deletion guard.
   */
  async requestReplan(
    userId: string,
    linkId: string,
    token = `${Date.now()}-${Math.random()}`,
  ): Promise<void> {
    await this.redis.hset(this.keys.meta(userId, linkId), 'replan', token);
  }

  /**
   * Records that the link's Kakao calendar was created just now, so it is empty: the link owes no
   * listing of its horizon (its first sync would list every window to find nothing). Only a link
   * that has written nothing yet is marked; true when it was. Unfenced like requestReplan: it
   * runs before the sync takes the lock, and every later write goes through intents and commits.
   */
  async markCalendarEmpty(userId: string, linkId: string): Promise<boolean> {
    const k = this.keys;
    const marked = await emptyCalendarScript.run(
      this.redis,
      [k.items(userId, linkId), k.intents(userId, linkId), k.meta(userId, linkId)],
      [],
    );
    return marked === 1;
  }

  async load(userId: string, linkId: string): Promise<LinkState> {
    const k = this.keys;
    const [items, intents, meta, verified] = await Promise.all([
      this.redis.hgetall(k.items(userId, linkId)),
      this.redis.hgetall(k.intents(userId, linkId)),
      this.redis.hgetall(k.meta(userId, linkId)),
      this.redis.hgetall(k.verified(userId, linkId)),
    ]);
    const state = emptyLinkState();
    for (const [key, text] of Object.entries(items)) state.items.set(key, decodeItem(key, text));
    state.intents = Object.values(intents).map((json) => parseJson<CreateIntent>(json, 'intent'));
    if (meta['cursor'] !== undefined) state.cursor = meta['cursor'];
    if (meta['detailCursor'] !== undefined) state.detailCursor = meta['detailCursor'];
    if (meta['expandedOn'] !== undefined) state.expandedOn = meta['expandedOn'];
    for (const key of ['nearReadAt', 'farReadAt', 'detailReadAt'] as const) {
      if (meta[key] !== undefined) state[key] = meta[key];
    }
    if (meta['identityMode'] === 'content') state.identityMode = 'content' satisfies IdentityMode;
    state.needsFullListing = meta['needsFullListing'] !== undefined ? meta['needsFullListing'] === '1' : true;
    state.verifiedWindows = verified;
    const replan = meta['replan'];
    if (replan !== undefined) {
      this.replans.set(`${userId}/${linkId}`, replan);
      delete state.cursor;
      for (const m of state.items.values()) delete m.etag;
    } else {
      this.replans.delete(`${userId}/${linkId}`);
    }
    return state;
  }

  openIntent(fence: Fence, linkId: string, intent: CreateIntent): Promise<void> {
    return this.run(fence, linkId, { intents: [[intent.id, JSON.stringify(intent)]] });
  }

  commit(fence: Fence, linkId: string, change: MappingChange): Promise<void> {
    const meta: [string, string][] = [];
    if (change.meta?.cursor !== undefined) meta.push(['cursor', change.meta.cursor]);
    if (change.meta?.identityMode !== undefined) meta.push(['identityMode', change.meta.identityMode]);
    if (change.meta?.detailCursor !== undefined) meta.push(['detailCursor', change.meta.detailCursor]);
    if (change.meta?.expandedOn !== undefined) meta.push(['expandedOn', change.meta.expandedOn]);
    for (const key of ['nearReadAt', 'farReadAt', 'detailReadAt'] as const) {
      const value = change.meta?.[key];
      if (value !== undefined) meta.push([key, value]);
    }
    if (change.meta?.needsFullListing !== undefined) {
      meta.push(['needsFullListing', change.meta.needsFullListing ? '1' : '0']);
    }
    // A commit that records a new cursor read and planned every item: the re-plan is done.
    const replanDone =
      change.meta?.cursor !== undefined ? this.replans.get(`${fence.userId}/${linkId}`) : undefined;
    if (replanDone !== undefined) this.replans.delete(`${fence.userId}/${linkId}`);
    return this.run(fence, linkId, {
      ...(replanDone !== undefined ? { replanDone } : {}),
      replaceAll: change.replaceAll ?? false,
      put: (change.put ?? []).map((m) => [m.sourceKey, encodeItem(m)]),
      remove: change.remove ?? [],
      settle: change.settleIntents ?? [],
      meta,
      verified: Object.entries(change.verified ?? {}),
      replaceBooks: change.verified !== undefined,
    });
  }

  async dropLink(userId: string, linkId: string): Promise<void> {
    const k = this.keys;
    await this.redis.del(
      k.items(userId, linkId),
      k.intents(userId, linkId),
      k.meta(userId, linkId),
      k.verified(userId, linkId),
      k.guests(userId, linkId),
      k.taskRecords(userId, linkId),
      k.mirror(userId, linkId),
    );
    await this.redis.hdel(k.backoff(userId), linkId);
  }

  private async run(fence: Fence, linkId: string, partial: Partial<WirePayload>): Promise<void> {
    const payload: WirePayload = {
      replaceAll: false,
      put: [],
      remove: [],
      intents: [],
      settle: [],
      meta: [],
      verified: [],
      replaceBooks: false,
      ...partial,
    };
    const k = this.keys;
    const u = fence.userId;
    try {
      await commitScript.run(
        this.redis,
        [k.lock(u), k.items(u, linkId), k.intents(u, linkId), k.meta(u, linkId), k.verified(u, linkId)],
        // cjson turns an empty JSON array into an empty table, which ipairs handles.
        [String(fence.token), JSON.stringify(payload)],
      );
    } catch (err) {
      if (err instanceof Error && err.message.includes('LOCKLOST')) throw new LockLostError(u);
      throw err;
    }
  }
}
