import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envOverrides, loadConfig } from '../../../src/config/load.js';
import { ConfigError, ConfigFileError } from '../../../src/model/errors.js';

describe('configuration', () => {
  it('loads the documented defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config.quota.dailyBudget).toBe(30000);
    expect(config.kakao.apiBaseUrl).toBe('https://kapi.kakao.com');
    expect(config.sync.defaultTimeZone).toBe('Asia/Seoul');
  });

  it('maps TALKCAL_* variables onto nested keys, parsing JSON values', () => {
    expect(
      envOverrides({ TALKCAL_SYNC__INTERVAL_MINUTES: '30', TALKCAL_KAKAO__API_BASE_URL: 'http://x:1' }),
    ).toEqual({
      sync: { intervalMinutes: 30 },
      kakao: { apiBaseUrl: 'http://x:1' },
    });
    const config = loadConfig({
      env: { TALKCAL_SOURCES__ALLOW_HOSTS: '["127.0.0.1"]', REDIS_URL: 'redis://10.0.0.1:7000' },
    });
    expect(config.sources.allowHosts).toEqual(['127.0.0.1']);
    expect(config.redis.url).toBe('redis://10.0.0.1:7000');
  });

  it('still reads the older sources.ics.allowHosts, adding it to sources.allowHosts', () => {
    const config = loadConfig({
      env: {
        TALKCAL_SOURCES__ALLOW_HOSTS: '["dav.lan"]',
        TALKCAL_SOURCES__ICS__ALLOW_HOSTS: '["127.0.0.1"]',
      },
    });
    expect(config.sources.allowHosts).toEqual(['dav.lan', '127.0.0.1']);
    expect(config.sources.ics).not.toHaveProperty('allowHosts');
    expect(loadConfig({ env: {} }).sources.allowHosts).toEqual([]);
  });

  it('lists every bad key with its value and what was expected, redacting secrets', () => {
    let error: unknown;
    try {
      loadConfig({
        env: {
          TALKCAL_SYNC__INTERVAL_MINUTES: '"often"',
          TALKCAL_SYNC__DEFAULT_TIME_ZONE: 'Mars/Olympus',
          TALKCAL_HTTP__ADMIN_TOKEN: '12',
          TALKCAL_SYNC__BOGUS: '1',
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    const keys = issues.map((i) => i.key);
    expect(keys).toContain('sync.intervalMinutes');
    expect(keys).toContain('sync.defaultTimeZone');
    expect(keys).toContain('http.adminToken');
    expect(keys).toContain('sync.bogus');
    expect(issues.find((i) => i.key === 'sync.defaultTimeZone')?.value).toBe('Mars/Olympus');
    expect(issues.find((i) => i.key === 'http.adminToken')?.value).toBe('[redacted]');
    expect((error as Error).message).toContain('sync.intervalMinutes');
  });

  it('names a missing or broken --config file in one line, with where the YAML breaks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'talkcal-config-'));
    try {
      const broken = join(dir, 'broken.yaml');
      writeFileSync(broken, 'sync:\n  intervalMinutes: [5\n');
      expect(() => loadConfig({ env: {}, file: join(dir, 'absent.yaml') })).toThrow(
        /^config file .*absent\.yaml: no such file \(check --config\)$/,
      );
      expect(() => loadConfig({ env: {}, file: broken })).toThrow(ConfigFileError);
      expect(() => loadConfig({ env: {}, file: broken })).toThrow(
        /^config file .*: not valid YAML: [^\n]*line \d+/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
