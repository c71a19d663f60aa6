import type { EventDetail, Task } from '../../kakao/types.js';
import { withinGrant } from '../../model/granted-call.js';
import type { CallPurpose, QuotaGate } from '../../model/quota.js';
import { classifyKakaoFailure, type KakaoPort } from '../kakao-port.js';

// The reads by id that confirm a mapped event or task missing from its listed window is really gone
// (confirm-missing-events.ts, tasks/confirm-missing.ts): one `verify` call each, granted one at a
// time by the quota governor, its further requests charged as they are sent.

export interface ConfirmationReads {
  /** Asks the quota governor for one read; false: not today. */
  grant: () => Promise<boolean>;
  /** One event by id under the grant; null: Kakao has none. */
  readEvent: (eventId: string) => Promise<EventDetail | null>;
  /** One task by id under the grant; undefined: Kakao has none. Absent: the port cannot read tasks. */
  getTask?: (taskId: string) => Promise<Task | undefined>;
}

export function confirmationReads(
  deps: { quota: QuotaGate; userId: string; kakao: KakaoPort },
  count: (purpose: CallPurpose) => void,
): ConfirmationReads {
  const { quota, userId, kakao } = deps;
  const granted = <T>(fn: () => Promise<T>) => withinGrant(quota, userId, 'verify', fn, count);
  const getTask = kakao.getTask?.bind(kakao);
  return {
    grant: async () => {
      if (!(await quota.acquire(userId, 'verify', 1))) return false;
      count('verify');
      return true;
    },
    readEvent: async (eventId) => {
      try {
        return await granted(() => kakao.getEvent(eventId));
      } catch (err) {
        if (classifyKakaoFailure(err) === 'not-found') return null;
        throw err;
      }
    },
    ...(getTask ? { getTask: (taskId: string) => granted(() => getTask(taskId)) } : {}),
  };
}
