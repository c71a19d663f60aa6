import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { type CreateIntent, intentMaySettle } from '../../../src/sync/store/mapping.js';
import { syncSettingsFrom } from '../../../src/sync/sync-user.js';

// A create intent may be settled by a window read only once its create can no longer land: older
// than the lock lease plus the Kakao request timeout (it is stamped again before every send).

const intent = (at: string): CreateIntent => ({
  id: 'i1',
  sourceKey: 'a@x',
  unitKey: 'main',
  title: 'Dentist',
  start: '2025-03-10T01:00:00Z',
  end: '2025-03-10T02:00:00Z',
  allDay: false,
  recurring: false,
  calendarId: 'primary',
  at,
});

describe('intent age', () => {
  it('the defaults: a create sent within the lease lands within the request timeout (15 s)', () => {
    const config = loadConfig({ env: {} });
    expect(syncSettingsFrom(config.sync, config.kakao).kakaoTimeoutMs).toBe(15_000);
    // Without the Kakao bounds (tests that build settings by hand) only the lease counts.
    expect(syncSettingsFrom(config.sync).kakaoTimeoutMs).toBeUndefined();
  });

  it('settles exactly from settleAfterMs on; an unstamped intent (older data) settles at once', () => {
    const now = '2025-03-01T00:02:00Z';
    expect(intentMaySettle(intent('2025-03-01T00:00:00Z'), now, 120_000)).toBe(true);
    expect(intentMaySettle(intent('2025-03-01T00:00:00.001Z'), now, 120_000)).toBe(false);
    expect(intentMaySettle(intent(''), now, 120_000)).toBe(true);
  });
});
