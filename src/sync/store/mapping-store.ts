import type { CreateIntent, IdentityMode, ItemMapping, LinkState } from './mapping.js';

// Where the engine keeps each link's mapping between runs. Every write carries the fencing token
// of the sync lock: a process that lost the lock cannot commit (LockLostError).

export interface Fence {
  userId: string;
  token: number;
}

export interface MappingChange {
  put?: ItemMapping[];
  remove?: string[];
  /** Intents settled by this commit (deleted in the same atomic step as the mapping write). */
  settleIntents?: string[];
  /** Replace every item (identity mode switch re-keys the whole mapping). */
  replaceAll?: boolean;
  meta?: {
    cursor?: string;
    identityMode?: IdentityMode;
    needsFullListing?: boolean;
    detailCursor?: string;
    detailReadAt?: string;
    expandedOn?: string;
    nearReadAt?: string;
    farReadAt?: string;
  };
  /** The whole verification books (`from/to` → ISO time of the last read), replacing the stored ones. */
  verified?: Record<string, string>;
}

export interface MappingStore {
  load(userId: string, linkId: string): Promise<LinkState>;
  /** Records a create before it is sent. */
  openIntent(fence: Fence, linkId: string, intent: CreateIntent): Promise<void>;
  /** Applies the change atomically, only while `fence` still holds the lock. */
  commit(fence: Fence, linkId: string, change: MappingChange): Promise<void>;
  /** Forgets everything about a link (link removed). */
  dropLink(userId: string, linkId: string): Promise<void>;
}
