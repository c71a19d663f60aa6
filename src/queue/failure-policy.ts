import { ZodError } from 'zod';
import { KakaoQuotaError, KakaoScopeError, KakaoTokenError } from '../kakao/errors.js';
import { TalkcalError } from '../model/errors.js';
import { DeletionGuardError, NoSuchConflictError } from '../sync/errors.js';

// What a failed sync job does next, decided from the error alone (pure, unit-tested).

export type FailureAction =
  /** Transient: let BullMQ retry with exponential backoff. */
  | { kind: 'retry' }
  /** Kakao's daily quota is spent: delay this user's job until the reset and slow everyone down. */
  | { kind: 'quota'; resetsAt: number }
  /** The user's tokens or consent are unusable: mark needs_reauth, stop the schedule. */
  | { kind: 'reauth'; reason: string }
  /** Something about the user's Kakao account stops syncing: pause the user. */
  | { kind: 'pause'; reason: string }
  /** Never succeeds by retrying (invalid input, app misconfiguration): fail without retry. */
  | { kind: 'fail'; reason: string };

const reauthErrors = [KakaoTokenError, KakaoScopeError];
/** User-scoped errors that stop this run only: the next run (or a forced one) may succeed. */
const runOnlyErrors = [DeletionGuardError, NoSuchConflictError];

export function failureAction(error: unknown): FailureAction {
  if (error instanceof ZodError)
    return { kind: 'fail', reason: `invalid input: ${error.issues[0]?.message ?? ''}` };
  if (!(error instanceof TalkcalError)) return { kind: 'retry' };
  if (error instanceof KakaoQuotaError) return { kind: 'quota', resetsAt: error.resetsAt };
  if (reauthErrors.some((type) => error instanceof type)) return { kind: 'reauth', reason: error.message };
  if (runOnlyErrors.some((type) => error instanceof type)) return { kind: 'fail', reason: error.message };
  switch (error.scope) {
    case 'retryable':
      return { kind: 'retry' };
    case 'user':
      return { kind: 'pause', reason: error.message };
    default:
      return { kind: 'fail', reason: error.message };
  }
}
