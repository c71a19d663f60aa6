import { InvalidArgumentError } from 'commander';

// Parsers of command-line values: a wrong value is refused before anything runs, by commander, in
// one line naming the option and what it takes.

/** A whole number > 0 (intervals, counts); "abc", "1.5", "0" and "10x" are refused. */
export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new InvalidArgumentError('expected a whole number greater than 0.');
  return Number(value);
}

/** A TCP port, 0 (any free port) to 65535. */
export function port(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return Number(value);
}

/** An IANA time-zone name that this Node.js knows. */
export function ianaZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value;
  } catch {
    throw new InvalidArgumentError('expected an IANA time zone such as Asia/Seoul or Europe/Berlin.');
  }
}

/** Kakao's user id (the app user id of Kakao Login): digits only. */
export function kakaoUserId(value: string): string {
  if (!/^\d{1,20}$/.test(value))
    throw new InvalidArgumentError('expected the numeric Kakao user id (digits only, e.g. 1234567890).');
  return value;
}
