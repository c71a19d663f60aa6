// Failures the emulator answers with, in the two documented wire shapes.
import { TalkcalError } from '../model/errors.js';

/** A Kakao API error: HTTP `status` with body `{"msg": ..., "code": ...}`. */
export class KakaoApiFailure extends TalkcalError {
  readonly scope = 'item';

  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { msg: this.message, code: this.code, ...this.extra };
  }
}

/** An OAuth error of the auth host: body `{"error": ..., "error_description": ...}`. */
export class OAuthFailure extends TalkcalError {
  readonly scope = 'user';

  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
    readonly errorCode?: string,
  ) {
    super(description);
  }

  body(): Record<string, unknown> {
    return {
      error: this.error,
      error_description: this.message,
      ...(this.errorCode ? { error_code: this.errorCode } : {}),
    };
  }
}

export const invalidParam = (msg: string) => new KakaoApiFailure(400, -2, msg);
/** Unknown event/task/calendar id: HTTP 404 with code -2 (see docs/kakao-api-notes.md). */
export const notFound = (what: string, id: string) =>
  new KakaoApiFailure(404, -2, `${what} not found: ${id}`);
export const notAllowed = (msg: string) => new KakaoApiFailure(403, -6, msg);
export const invalidToken = (msg: string) => new KakaoApiFailure(401, -401, msg);
export const quotaExceeded = () => new KakaoApiFailure(400, -10, 'API limit has been exceeded.');
