import { describe, expect, it } from 'vitest';
import { authOf, caldavStorageFor } from '../../../src/sources/caldav/from-link.js';
import { ReadOnlyStorageError } from '../../../src/sources/errors.js';

const base = {
  type: 'caldav' as const,
  url: 'https://dav.example.com/cal/work/',
  component: 'todo' as const,
};

describe('CalDAV storage from a link source', () => {
  it('picks bearer over basic over none', () => {
    expect(authOf({ ...base, username: 'u', password: 'p', bearer: 't' })).toEqual({
      kind: 'bearer',
      token: 't',
    });
    expect(authOf({ ...base, username: 'u', password: 'p' })).toEqual({
      kind: 'basic',
      username: 'u',
      password: 'p',
    });
    expect(authOf({ ...base, username: 'u' })).toEqual({ kind: 'basic', username: 'u', password: '' });
    expect(authOf(base)).toEqual({ kind: 'none' });
  });

  it('builds a read-only storage for one-way links that never touches the network on writes', async () => {
    const fetch = () => Promise.reject(new Error('no request expected'));
    const sources = { caldav: { timeoutMs: 1000, maxRedirects: 5 }, allowHosts: [] };
    const storage = caldavStorageFor(base, sources, { readOnly: true, fetch });
    expect(storage.readOnly).toBe(true);
    expect(storage.description).toBe('CalDAV to-dos at https://dav.example.com/cal/work/');
    await expect(storage.delete('/cal/work/a.ics', '"1"')).rejects.toBeInstanceOf(ReadOnlyStorageError);
  });
});
