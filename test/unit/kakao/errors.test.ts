import { describe, expect, it } from 'vitest';
import {
  KakaoAccountRestrictedError,
  KakaoHeaderError,
  KakaoHttpError,
  KakaoInternalError,
  KakaoInvalidRequestError,
  KakaoMaintenanceError,
  KakaoNotAllowedError,
  KakaoNotFoundError,
  KakaoNotSetUpError,
  KakaoNotTalkUserError,
  KakaoPermissionError,
  KakaoQuotaError,
  KakaoRetiredApiError,
  KakaoSanctionedError,
  KakaoScopeError,
  KakaoTimeoutError,
  KakaoTokenError,
  KakaoUnregisteredDeveloperError,
  kakaoErrorFromBody,
  nextMidnightKst,
} from '../../../src/kakao/errors.js';
import { TalkcalError } from '../../../src/model/errors.js';

const now = Date.parse('2024-05-01T10:00:00Z');

// code, documented HTTP status, class, scope
const table = [
  [-1, 400, KakaoInternalError, 'retryable'],
  [-2, 400, KakaoInvalidRequestError, 'item'],
  [-3, 403, KakaoNotSetUpError, 'app'],
  [-4, 403, KakaoAccountRestrictedError, 'user'],
  [-5, 403, KakaoPermissionError, 'app'],
  [-6, 403, KakaoNotAllowedError, 'item'],
  [-7, 400, KakaoMaintenanceError, 'retryable'],
  [-8, 400, KakaoHeaderError, 'app'],
  [-9, 400, KakaoRetiredApiError, 'app'],
  [-10, 400, KakaoQuotaError, 'app'],
  [-11, 400, KakaoQuotaError, 'app'],
  [-12, 403, KakaoSanctionedError, 'app'],
  [-401, 401, KakaoTokenError, 'user'],
  [-402, 403, KakaoScopeError, 'user'],
  [-501, 400, KakaoNotTalkUserError, 'user'],
  [-603, 400, KakaoTimeoutError, 'retryable'],
  [-903, 400, KakaoUnregisteredDeveloperError, 'app'],
  [-9798, 503, KakaoMaintenanceError, 'retryable'],
] as const;

describe('Kakao error mapping', () => {
  it.each(table)('code %i (HTTP %i) → %o with scope %s', (code, status, cls, scope) => {
    const error = kakaoErrorFromBody(
      { status, code, msg: 'm', endpoint: 'events.list' },
      { code, msg: 'm' },
      now,
    );
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(TalkcalError);
    expect(error.scope).toBe(scope);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.endpoint).toBe('events.list');
    expect(error.name).toBe(cls.name);
  });

  it('gives quota errors the next midnight in Korea', () => {
    const error = kakaoErrorFromBody({ status: 400, code: -10, endpoint: 'events.create' }, {}, now);
    expect((error as KakaoQuotaError).resetsAt).toBe(Date.parse('2024-05-01T15:00:00Z'));
  });

  it('computes midnight KST on both sides of 15:00 UTC', () => {
    expect(nextMidnightKst(Date.parse('2024-05-01T14:59:59Z'))).toBe(Date.parse('2024-05-01T15:00:00Z'));
    expect(nextMidnightKst(Date.parse('2024-05-01T15:00:00Z'))).toBe(Date.parse('2024-05-02T15:00:00Z'));
    expect(nextMidnightKst(Date.parse('2024-12-31T23:00:00Z'))).toBe(Date.parse('2025-01-01T15:00:00Z'));
  });

  it('carries the required and allowed scopes of -402', () => {
    const error = kakaoErrorFromBody(
      { status: 403, code: -402, endpoint: 'calendars.list' },
      { code: -402, required_scopes: ['talk_calendar'], allowed_scopes: ['profile', 7] },
      now,
    );
    expect(error).toBeInstanceOf(KakaoScopeError);
    expect((error as KakaoScopeError).requiredScopes).toEqual(['talk_calendar']);
    expect((error as KakaoScopeError).allowedScopes).toEqual(['profile']);
  });

  it('recognises not-found answers (HTTP 404, or -2/-6 with a not-found message)', () => {
    for (const [status, code, msg] of [
      [404, -2, 'whatever'],
      [400, -2, 'event not found'],
      [400, -6, 'Task does not exist'],
      [404, undefined, undefined],
    ] as const) {
      const error = kakaoErrorFromBody({ status, code, msg, endpoint: 'events.get' }, {}, now);
      expect(error).toBeInstanceOf(KakaoNotFoundError);
      expect(error.scope).toBe('item');
    }
    expect(
      kakaoErrorFromBody({ status: 400, code: -2, msg: 'title too long', endpoint: 'e' }, {}, now),
    ).toBeInstanceOf(KakaoInvalidRequestError);
  });

  it('maps unknown codes to KakaoHttpError, retryable only for 5xx and 429', () => {
    const a = kakaoErrorFromBody({ status: 400, code: -999, endpoint: 'e' }, {}, now);
    const b = kakaoErrorFromBody({ status: 502, code: -999, endpoint: 'e' }, {}, now);
    expect(a).toBeInstanceOf(KakaoHttpError);
    expect(a.scope).toBe('app');
    expect(b.scope).toBe('retryable');
  });
});
