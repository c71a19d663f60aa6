import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cachedDefaults } from '../../../src/config/defaults-cache.js';

describe('cachedDefaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-defaults-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const parseCounting = () => {
    const calls: string[] = [];
    const counted = (text: string) => {
      calls.push(text);
      return parse(text) as Record<string, unknown>;
    };
    return { calls, parse: counted };
  };

  it('parses a text once, then answers the same tree from the cache', () => {
    const text = 'http:\n  port: 8080 # comment\nlist: [a, b]\nflag: true\nnothing: null\n';
    const first = parseCounting();
    const tree = cachedDefaults(text, first.parse, dir);
    const second = parseCounting();
    expect(cachedDefaults(text, second.parse, dir)).toEqual(tree);
    expect(tree).toEqual({ http: { port: 8080 }, list: ['a', 'b'], flag: true, nothing: null });
    expect([first.calls.length, second.calls.length]).toEqual([1, 0]);
  });

  it('a changed text is parsed again, a broken cache file is replaced', () => {
    const changed = parseCounting();
    expect(cachedDefaults('port: 9090\n', changed.parse, dir)).toEqual({ port: 9090 });
    for (const f of readdirSync(dir)) writeFileSync(join(dir, f), '{"trunc');
    const again = parseCounting();
    expect(cachedDefaults('port: 9090\n', again.parse, dir)).toEqual({ port: 9090 });
    expect(again.calls.length).toBe(1);
  });

  it('a cache file or directory others may write is not believed', () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    const text = 'port: 1234\n';
    cachedDefaults(text, parseCounting().parse, shared);
    for (const f of readdirSync(shared)) writeFileSync(join(shared, f), '{"port": 6666}');
    const planted = parseCounting();
    expect(cachedDefaults(text, planted.parse, shared)).toEqual({ port: 6666 });
    for (const f of readdirSync(shared)) chmodSync(join(shared, f), 0o666);
    expect(cachedDefaults(text, planted.parse, shared)).toEqual({ port: 1234 });
    chmodSync(shared, 0o777);
    expect(cachedDefaults(text, planted.parse, shared)).toEqual({ port: 1234 });
    expect(planted.calls.length).toBe(2);
  });

  it('without a cache directory (or an unwritable one) it parses every time', () => {
    const none = parseCounting();
    cachedDefaults('a: 1\n', none.parse, undefined);
    cachedDefaults('a: 1\n', none.parse, join(dir, 'missing', 'deeper'));
    cachedDefaults('a: 1\n', none.parse, join(dir, 'missing', 'deeper'));
    expect(none.calls.length).toBe(3);
  });
});
