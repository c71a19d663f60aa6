import { describe, expect, it } from 'vitest';
import { resolveAfterUrl } from '../../../src/kakao/after-url.js';
import { KakaoForeignUrlError } from '../../../src/kakao/errors.js';

const sample =
  'https://kapi.kakao.com/v2/api/calendar/events?target_id=1&calendar_id=primary&next_page_token=eyJm%3D%3D';

describe('after_url origin mapping', () => {
  it('maps Kakao production URLs onto the configured API base, keeping path and query', () => {
    expect(resolveAfterUrl(sample, 'http://127.0.0.1:4010', 'events.list')).toBe(
      'http://127.0.0.1:4010/v2/api/calendar/events?target_id=1&calendar_id=primary&next_page_token=eyJm%3D%3D',
    );
  });

  it('keeps a path prefix of the configured base', () => {
    expect(resolveAfterUrl(sample, 'https://proxy.example/kakao/', 'events.list')).toMatch(
      /^https:\/\/proxy\.example\/kakao\/v2\/api\/calendar\/events\?/,
    );
  });

  it('follows URLs on the configured origin as they are, and relative ones against it', () => {
    const own = 'http://127.0.0.1:4010/v1/api/calendar/tasks?offset=4';
    expect(resolveAfterUrl(own, 'http://127.0.0.1:4010', 'tasks.list')).toBe(own);
    expect(resolveAfterUrl('/v1/api/calendar/tasks?offset=4', 'http://127.0.0.1:4010', 'tasks.list')).toBe(
      own,
    );
    expect(resolveAfterUrl(sample, 'https://kapi.kakao.com', 'events.list')).toBe(sample);
  });

  it.each([
    'https://evil.example/v2/api/calendar/events?next_page_token=x',
    'http://kapi.kakao.com/v2/api/calendar/events',
    'https://kapi.kakao.com:8443/v2/api/calendar/events',
    'https://kapi.kakao.com.evil.example/v2/api/calendar/events',
    '//evil.example/v2/api/calendar/events',
    'http://127.0.0.1:4011/v2/api/calendar/events',
    'https://user:pw@kapi.kakao.com/v2/api/calendar/events',
    'javascript:alert(1)',
  ])('refuses %s', (url) => {
    expect(() => resolveAfterUrl(url, 'http://127.0.0.1:4010', 'events.list')).toThrow(KakaoForeignUrlError);
  });
});
