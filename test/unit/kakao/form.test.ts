import { describe, expect, it } from 'vitest';
import { encodeForm, toSearchParams } from '../../../src/kakao/form.js';

describe('Kakao form encoding', () => {
  it('writes nested objects as JSON strings and scalars as text', () => {
    const body = encodeForm({
      calendar_id: 'user_1',
      event: {
        title: '회의 & lunch',
        time: { start_at: '2024-01-01T00:00:00Z', all_day: true },
        reminders: [15, 30],
      },
      complete: false,
      limit: 1000,
    });
    const parsed = new URLSearchParams(body);
    expect(parsed.get('calendar_id')).toBe('user_1');
    expect(JSON.parse(parsed.get('event') ?? '')).toEqual({
      title: '회의 & lunch',
      time: { start_at: '2024-01-01T00:00:00Z', all_day: true },
      reminders: [15, 30],
    });
    expect(parsed.get('complete')).toBe('false');
    expect(parsed.get('limit')).toBe('1000');
  });

  it('leaves out undefined and null top-level values but keeps nested nulls', () => {
    const params = toSearchParams({ a: undefined, b: null, task: { due_info: null }, c: '' });
    expect([...params.keys()]).toEqual(['task', 'c']);
    expect(params.get('task')).toBe('{"due_info":null}');
    expect(params.get('c')).toBe('');
  });

  it('percent-encodes reserved characters so they survive the round trip', () => {
    const value = 'a=b&c+d %/?#';
    expect(new URLSearchParams(encodeForm({ q: value })).get('q')).toBe(value);
    expect(encodeForm({ q: value })).not.toContain('&c');
  });
});
