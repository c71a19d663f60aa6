import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, safeUrl } from '../../../src/log.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

describe('log redaction', () => {
  it('never writes tokens, passwords, admin keys or Authorization headers', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream).child({ userId: 'u1', linkId: 'l1' });
    log.info(
      {
        accessToken: 'AT-SECRET-1',
        user: { refreshToken: 'RT-SECRET-2', tokens: { access_token: 'AT-SECRET-3' } },
        req: { headers: { authorization: 'Bearer AT-SECRET-4' } },
        config: { kakao: { adminKey: 'ADMIN-SECRET-5' } },
        source: { password: 'PW-SECRET-6' },
      },
      'sync started',
    );
    const out = lines.join('');
    for (const secret of [
      'AT-SECRET-1',
      'RT-SECRET-2',
      'AT-SECRET-3',
      'AT-SECRET-4',
      'ADMIN-SECRET-5',
      'PW-SECRET-6',
    ]) {
      expect(out).not.toContain(secret);
    }
    const record = JSON.parse(lines[0] ?? '{}');
    expect(record.userId).toBe('u1');
    expect(record.linkId).toBe('l1');
    expect(record.msg).toBe('sync started');
  });

  it('strips credentials from URLs', () => {
    expect(safeUrl('https://bob:hunter2@example.com/cal.ics?token=abc&x=1')).toBe(
      'https://%5Bredacted%5D@example.com/cal.ics?token=%5Bredacted%5D&x=1',
    );
    expect(
      safeUrl(
        'https://calendar.google.com/calendar/ical/x%40gmail.com/private-0123456789abcdef0123456789abcdef/basic.ics',
      ),
    ).toBe('https://calendar.google.com/calendar/ical/x%40gmail.com/[redacted]/basic.ics');
  });
});
