import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { KakaoAppKeyMissingError } from '../../../src/daemon/errors.js';
import { ensureKakaoAppKey } from '../../../src/daemon/start-checks.js';

describe('start checks', () => {
  const kakao = loadConfig({ env: {} }).kakao;

  it("refuses an empty REST API key when the daemon talks to Kakao's own host", () => {
    expect(() => ensureKakaoAppKey(kakao)).toThrow(KakaoAppKeyMissingError);
    expect(() => ensureKakaoAppKey({ ...kakao, restApiKey: '  ' })).toThrow(/TALKCAL_KAKAO__REST_API_KEY/);
    expect(() => ensureKakaoAppKey({ ...kakao, apiBaseUrl: 'https://KAPI.kakao.com/' })).toThrow(
      KakaoAppKeyMissingError,
    );
  });

  it('takes a set key, and needs none for the emulator', () => {
    expect(() => ensureKakaoAppKey({ ...kakao, restApiKey: 'abc123' })).not.toThrow();
    expect(() => ensureKakaoAppKey({ ...kakao, apiBaseUrl: 'http://127.0.0.1:8787' })).not.toThrow();
  });
});
