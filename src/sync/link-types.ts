import type { CallPurpose, QuotaGate } from '../model/quota.js';
import type { SourceItem, Storage } from '../sources/storage.js';
import type { TranslationOutcome } from '../translate/source-item.js';
import type { ApplyResult } from './events/apply-types.js';
import type { Plan } from './events/plan-types.js';
import type { WriteBack } from './events/write-back.js';
import type { GuestStore } from './guest/guest-store.js';
import type { KakaoPort } from './kakao-port.js';
import type { KakaoSnapshot } from './store/kakao-snapshot.js';
import type { HeldLock } from './store/lock.js';
import type { MappingStore } from './store/mapping-store.js';
import type { VerifyCadence } from './verification/verify-due.js';

// What one link's sync is given (settings and the edges it reads and writes through) and reports.

export interface SyncSettings {
  horizonPastDays: number;
  horizonFutureDays: number;
  massDeleteShare: number;
  massDeleteMinItems: number;
  verify: VerifyCadence;
  twoWayReadEveryMinutes: number;
  /** Detail calls per verification pass of a two-way link (at most, per run, of a one-way link). */
  detailBudgetPerRun: number;
  /** Sampled detail calls per day of a one-way link that reverts Kakao-side edits (0: none). */
  oneWayDetailReadsPerDay: number;
  /** Plan items applied at once (1 when absent). */
  writeConcurrency?: number;
  /**
   * Time limit of one Kakao request (config kakao.timeoutMs): a create sent just before its
   * worker's lease ran out may land this much later (0 when absent).
   */
  kakaoTimeoutMs?: number;
  /** A recurring task's completion history is read at most this often (absent: never). */
  taskRecordsEveryHours?: number;
}

export interface LinkSyncDeps {
  userId: string;
  store: MappingStore;
  kakao: KakaoPort;
  storage: Storage;
  quota: QuotaGate;
  lock: HeldLock;
  settings: SyncSettings;
  /** Source items → desired Kakao state (the translators, bound to the user's context). */
  translateMany: (items: SourceItem[]) => Promise<TranslationOutcome[]>;
  now: () => Date;
  snapshot?: KakaoSnapshot;
  writeBack?: WriteBack;
  /** Kakao ids mapped by the user's other links. */
  foreignIds?: ReadonlySet<string>;
  /** Create intents younger than this are never settled (the lock lease + kakaoTimeoutMs). */
  intentSettleAfterMs?: number;
  /** Where a two-way CalDAV link keeps the guest events it mirrors (absent: none mirrored). */
  guests?: GuestStore;
  /** At most this many guest events per link (limits.maxItemsPerSource). */
  maxGuestItems?: number;
}

export interface SyncOptions {
  force?: boolean;
  dryRun?: boolean;
}

export interface LinkSyncResult {
  linkId: string;
  skipped: 'unchanged' | 'mass-deletion' | null;
  plan: Plan | null;
  apply: ApplyResult | null;
  windowsRead: number;
  calls: Partial<Record<CallPurpose, number>>;
  warnings: string[];
  error?: string;
  /** Guest events (followed public, subscribed) written to CalDAV, edits sent back, removed. */
  guests?: { written: number; pushed: number; removed: number };
}

/** A link's result before (or without) a sync: nothing read, planned or written. */
export function emptyLinkResult(linkId: string): LinkSyncResult {
  return { linkId, skipped: null, plan: null, apply: null, windowsRead: 0, calls: {}, warnings: [] };
}
