import { TalkcalError } from '../model/errors.js';

/** The HTTP port cannot be listened on (in use by another process, or privileged). */
export class PortUnavailableError extends TalkcalError {
  readonly scope = 'app';

  constructor(
    readonly address: string,
    reason: string,
    setting: string,
    options?: { cause?: unknown },
  ) {
    super(
      `cannot listen on ${address}: ${reason}; stop the other process or choose another port (${setting})`,
      options,
    );
  }
}

/** The daemon would talk to Kakao without the app's REST API key. */
export class KakaoAppKeyMissingError extends TalkcalError {
  readonly scope = 'app';

  constructor() {
    super(
      "kakao.restApiKey is empty: set TALKCAL_KAKAO__REST_API_KEY to the app's REST API key " +
        '(developers.kakao.com → the app → App Keys), or point kakao.apiBaseUrl and kakao.authBaseUrl at the emulator',
    );
  }
}

/** The listen error as a PortUnavailableError when it is about the port, else unchanged. */
export function portError(error: unknown, host: string, port: number, setting: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const address = `${host}:${port}`;
  if (code === 'EADDRINUSE')
    return new PortUnavailableError(address, 'the port is in use', setting, { cause: error });
  if (code === 'EACCES')
    return new PortUnavailableError(address, 'ports below 1024 need privileges', setting, { cause: error });
  if (code === 'EADDRNOTAVAIL')
    return new PortUnavailableError(address, 'no such address on this machine', setting, { cause: error });
  return error;
}

/** `--delete-calendar` on a calendar the daemon must not delete; the link stays. */
export class CalendarNotDeletableError extends TalkcalError {
  readonly scope = 'item';

  constructor(
    readonly userId: string,
    readonly linkId: string,
    calendar: { calendarId: string; name?: string },
    why: string,
  ) {
    super(
      `link ${linkId} of user ${userId}: calendar ${calendar.name ? `"${calendar.name}" ` : ''}` +
        `(${calendar.calendarId}) is not deleted because ${why}; remove the link without --delete-calendar to leave it`,
    );
  }
}
