// Every Redis key the sync engine writes (layout documented in docs/redis-layout.md). All keys of
// one user carry the hash tag `{userId}`, the same as the registry's, so one user's MULTI and Lua
// scripts touch a single Redis Cluster slot.

export interface SyncKeys {
  /** String with TTL: the fencing token of the process syncing the user. */
  lock(userId: string): string;
  /** Counter: the last fencing token handed out (INCR). */
  fence(userId: string): string;
  /** Hash: sourceKey → ItemMapping JSON. */
  items(userId: string, linkId: string): string;
  /** Hash: intentId → CreateIntent JSON (creates sent or about to be, not yet committed). */
  intents(userId: string, linkId: string): string;
  /** Hash: cursor, identityMode, needsFullListing. */
  meta(userId: string, linkId: string): string;
  /** Hash: window start (yyyy-MM-dd) → ISO time of its last verification read. */
  verified(userId: string, linkId: string): string;
  /** Hash: Kakao event id → SnapshotEntry JSON (the user's Talk Calendar as we know it). */
  snapshot(userId: string): string;
  /** Hash: window start → ISO time the snapshot of that window was last read from Kakao. */
  snapshotWindows(userId: string): string;
  /** Hash: Kakao event id → GuestRecord JSON (guest events a two-way link mirrors into CalDAV). */
  guests(userId: string, linkId: string): string;
  /** Hash: Kakao task id → TaskHistory JSON (completion records of a task link's recurring tasks). */
  taskRecords(userId: string, linkId: string): string;
  /** Hash: UID → {href, etag, hash} of the holidays/subscribed mirror in a link's collection. */
  mirror(userId: string, linkId: string): string;
  /** Hash: link id → LinkBackoff JSON (links that failed and wait before their next try). */
  backoff(userId: string): string;
}

export function syncKeys(prefix: string): SyncKeys {
  const u = (userId: string) => `${prefix}:user:{${userId}}:sync`;
  const l = (userId: string, linkId: string) => `${u(userId)}:link:${linkId}`;
  return {
    lock: (userId) => `${u(userId)}:lock`,
    fence: (userId) => `${u(userId)}:fence`,
    items: (userId, linkId) => `${l(userId, linkId)}:items`,
    intents: (userId, linkId) => `${l(userId, linkId)}:intents`,
    meta: (userId, linkId) => `${l(userId, linkId)}:meta`,
    verified: (userId, linkId) => `${l(userId, linkId)}:verified`,
    guests: (userId, linkId) => `${l(userId, linkId)}:guests`,
    taskRecords: (userId, linkId) => `${l(userId, linkId)}:task-records`,
    mirror: (userId, linkId) => `${l(userId, linkId)}:mirror`,
    snapshot: (userId) => `${u(userId)}:snapshot`,
    snapshotWindows: (userId) => `${u(userId)}:snapshot-windows`,
    backoff: (userId) => `${u(userId)}:backoff`,
  };
}
