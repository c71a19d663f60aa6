import type { CallPurpose, QuotaGate } from '../../model/quota.js';
import type { Storage } from '../../sources/storage.js';
import type { KakaoPort } from '../kakao-port.js';
import type { HeldLock } from '../store/lock.js';
import type { MappingStore } from '../store/mapping-store.js';
import type { PreconditionDeps } from './apply-precondition.js';
import type { Conflict } from './plan-types.js';
import type { WriteBack } from './write-back.js';

// What applying a plan needs (the edges it writes through) and what it reports.

export interface ApplyDeps {
  userId: string;
  linkId: string;
  calendarId: string;
  kakao: KakaoPort;
  store: MappingStore;
  lock: HeldLock;
  storage: Storage;
  quota: QuotaGate;
  now: () => Date;
  /** Two-way write-back: the source object patched with what Kakao shows (absent: not supported). */
  writeBack?: WriteBack;
  /** Items applied at once (default 1: one after another). */
  writeConcurrency?: number;
  /** Two-way: plans an item again after its precondition reads (absent: no reads are made). */
  replan?: PreconditionDeps['replan'];
  /** Task links: the same, with a task read. */
  replanTask?: PreconditionDeps['replanTask'];
}

export interface ApplyCounts {
  kakaoCreated: number;
  kakaoUpdated: number;
  kakaoDeleted: number;
  sourceUpdated: number;
  sourceDeleted: number;
}

export interface ApplyResult {
  counts: ApplyCounts;
  calls: Partial<Record<CallPurpose, number>>;
  quarantined: { sourceKey: string; reason: string }[];
  failed: { sourceKey: string; error: string }[];
  warnings: string[];
  /** A 404 showed drift: the next run should list the whole horizon. */
  driftSeen: boolean;
  /** Conflicts found by precondition reads (recorded on their items like the plan's). */
  conflicts: Conflict[];
  /** Items left unwritten this run (their precondition read could not be made or decide). */
  deferred: string[];
}
