import { describe, expect, it } from 'vitest';
import {
  ItemExistsError,
  PreconditionFailedError,
  ReadOnlyStorageError,
} from '../../../src/sources/errors.js';
import { MemoryStorage } from '../../../src/sources/memory/storage.js';

// The in-memory Storage behaves like a strict CalDAV collection: etag-guarded writes, creates that
// refuse a taken href, and a cursor that says "unchanged" until something changes.

const item = (uid: string, text = 'x') => ({
  uid,
  kind: 'event' as const,
  ics: `BEGIN:VCALENDAR\r\n${text}\r\nEND:VCALENDAR\r\n`,
});

describe('MemoryStorage', () => {
  it('lists, reads and reports unchanged until a change', async () => {
    const s = new MemoryStorage();
    const ref = await s.upload(item('a'));
    const first = await s.list();
    expect(first).toMatchObject({ unchanged: false, full: true, items: [ref] });
    expect(await s.list(first.cursor)).toMatchObject({ unchanged: true, items: [] });
    expect((await s.getMany([ref.href, 'missing.ics'])).map((f) => f.item.uid)).toEqual(['a']);
    s.set(item('b'));
    expect((await s.list(first.cursor)).unchanged).toBe(false);
  });

  it('guards writes by etag and refuses a second create of one href', async () => {
    const s = new MemoryStorage();
    const ref = await s.upload(item('a'));
    await expect(s.upload(item('a'))).rejects.toBeInstanceOf(ItemExistsError);
    const next = await s.update(ref.href, item('a', 'y'), ref.etag);
    expect(next.etag).not.toBe(ref.etag);
    await expect(s.update(ref.href, item('a', 'z'), ref.etag)).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(s.delete(ref.href, ref.etag)).rejects.toBeInstanceOf(PreconditionFailedError);
    await s.delete(ref.href, next.etag);
    await s.delete(ref.href, next.etag); // missing counts as deleted
    expect(s.size).toBe(0);
  });

  it('a read-only storage refuses every write', async () => {
    const s = new MemoryStorage(true);
    await expect(s.upload(item('a'))).rejects.toBeInstanceOf(ReadOnlyStorageError);
    const ref = s.set(item('a'));
    await expect(s.update(ref.href, item('a', 'y'), ref.etag)).rejects.toBeInstanceOf(ReadOnlyStorageError);
    await expect(s.delete(ref.href, ref.etag)).rejects.toBeInstanceOf(ReadOnlyStorageError);
  });
});
