import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ianaZone, kakaoUserId, port, positiveInteger } from '../../../src/cli/args.js';

describe('command-line value parsers', () => {
  it('takes whole numbers > 0 and refuses everything else', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (n) => positiveInteger(String(n)) === n));
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\s*\d+\s*$/.test(s)),
        (s) => {
          expect(() => positiveInteger(s)).toThrow(InvalidArgumentError);
        },
      ),
    );
    for (const bad of ['0', '1.5', '10x', 'abc', '-3', ''])
      expect(() => positiveInteger(bad)).toThrow(InvalidArgumentError);
  });

  it('takes ports 0–65535', () => {
    expect(port('0')).toBe(0);
    expect(port('65535')).toBe(65535);
    for (const bad of ['65536', 'http', '-1']) expect(() => port(bad)).toThrow(InvalidArgumentError);
  });

  it('takes IANA zones and numeric Kakao user ids only', () => {
    expect(ianaZone('Asia/Seoul')).toBe('Asia/Seoul');
    expect(() => ianaZone('Mars/Olympus')).toThrow(/IANA time zone/);
    expect(kakaoUserId('1234567890')).toBe('1234567890');
    for (const bad of ['abc', '12a', 'user-1', '', '1'.repeat(21)])
      expect(() => kakaoUserId(bad)).toThrow(/numeric Kakao user id/);
  });
});
