import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  KakaoAccountRestrictedError,
  KakaoInternalError,
  KakaoInvalidRequestError,
  KakaoNotSetUpError,
  KakaoQuotaError,
  KakaoScopeError,
  KakaoTokenError,
} from '../../../src/kakao/errors.js';
import { TalkcalError } from '../../../src/model/errors.js';
import { failureAction } from '../../../src/queue/failure-policy.js';
import { MassDeletionError } from '../../../src/sync/errors.js';

const d = { status: 400, endpoint: 'events.list' };

describe('failure policy of sync jobs', () => {
  it('retries transient failures and unknown errors (bounded by the job attempts)', () => {
    expect(failureAction(new KakaoInternalError({ ...d, code: -1 }))).toEqual({ kind: 'retry' });
    expect(failureAction(new Error('socket hang up'))).toEqual({ kind: 'retry' });
  });

  it('delays until the quota resets on -10', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    const action = failureAction(new KakaoQuotaError({ ...d, code: -10 }, now));
    expect(action).toEqual({ kind: 'quota', resetsAt: Date.parse('2026-03-01T15:00:00Z') });
  });

  it('asks for reauthorization on token and scope errors', () => {
    expect(failureAction(new KakaoTokenError({ ...d, status: 401, code: -401 })).kind).toBe('reauth');
    expect(
      failureAction(new KakaoScopeError({ ...d, status: 403, code: -402 }, ['talk_calendar'], [])).kind,
    ).toBe('reauth');
  });

  it('pauses on other user-level errors and fails without retry on invalid input or app errors', () => {
    expect(failureAction(new KakaoAccountRestrictedError({ ...d, code: -4 })).kind).toBe('pause');
    expect(failureAction(new KakaoInvalidRequestError({ ...d, code: -2 })).kind).toBe('fail');
    expect(failureAction(new KakaoNotSetUpError({ ...d, code: -3 })).kind).toBe('fail');
    expect(failureAction(z.string().safeParse(1).error).kind).toBe('fail');
    // The mass-deletion guard stops the run, not the user: a forced sync goes through.
    expect(failureAction(new MassDeletionError('feed', 10, 12)).kind).toBe('fail');
  });

  it('decides by the error class, not by its name', () => {
    class Impostor extends TalkcalError {
      readonly scope = 'retryable';
    }
    const impostor = new Impostor('looks like a quota error');
    Object.defineProperty(impostor, 'name', { value: 'KakaoQuotaError' });
    expect(failureAction(impostor)).toEqual({ kind: 'retry' });
  });
});
