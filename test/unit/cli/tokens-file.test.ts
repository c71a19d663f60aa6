import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../../../src/cli/errors.js';
import { tokensFromJson } from '../../../src/cli/tokens-file.js';

const token = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== '');
const secondsArb = fc.integer({ min: 1, max: 10_000_000 });
const scopeArb = fc.array(fc.stringMatching(/^[a-z_]{1,20}$/), { maxLength: 4 });

describe('tokens file', () => {
  it("takes Kakao's token response as it comes from POST /oauth/token", () => {
    expect(
      tokensFromJson(
        {
          token_type: 'bearer',
          access_token: 'ACC',
          expires_in: 21599,
          refresh_token: 'REF',
          refresh_token_expires_in: 5183999,
          scope: 'talk_calendar talk_calendar_task',
          id_token: 'ID',
        },
        'k.json',
      ),
    ).toEqual({
      accessToken: 'ACC',
      refreshToken: 'REF',
      expiresIn: 21599,
      refreshTokenExpiresIn: 5183999,
      scopes: ['talk_calendar', 'talk_calendar_task'],
    });
  });

  it('reads the same tokens from either format', () => {
    fc.assert(
      fc.property(
        token,
        token,
        secondsArb,
        fc.option(secondsArb, { nil: undefined }),
        scopeArb,
        (a, r, e, re, s) => {
          const kakao = {
            access_token: a,
            refresh_token: r,
            expires_in: e,
            ...(re ? { refresh_token_expires_in: re } : {}),
            ...(s.length ? { scope: s.join(' ') } : {}),
          };
          const camel = {
            accessToken: a,
            refreshToken: r,
            expiresIn: e,
            ...(re ? { refreshTokenExpiresIn: re } : {}),
            ...(s.length ? { scopes: s } : {}),
          };
          expect(tokensFromJson(kakao, 'f')).toEqual(tokensFromJson(camel, 'f'));
        },
      ),
    );
  });

  it('names every missing field in one line and never quotes a token', () => {
    const error = (() => {
      try {
        tokensFromJson({ access_token: 'SECRET-ACC', expires_in: 'soon' }, 'tokens.json');
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(CliUsageError);
    expect(error.message).toMatch(/^tokens file tokens\.json: missing or invalid refresh_token .*expires_in/);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('SECRET-ACC');
  });

  it('refuses what is not an object, and numbers that are not whole seconds', () => {
    expect(() => tokensFromJson([], 'f')).toThrow(/not a JSON object/);
    expect(() => tokensFromJson('ACC', 'f')).toThrow(/not a JSON object/);
    expect(() => tokensFromJson({ accessToken: 'a', refreshToken: 'r', expiresIn: 1.5 }, 'f')).toThrow(
      /expiresIn \(whole seconds > 0\)/,
    );
    expect(() => tokensFromJson({ access_token: 'a', refresh_token: 'r', expires_in: 0 }, 'f')).toThrow(
      /expires_in/,
    );
  });
});
