import { NoSuchConflictError } from '../errors.js';
import type { Fence, MappingStore } from '../store/mapping-store.js';

// Manual conflict resolution for `manual` links: the user picks a side for one item or for all of
// them; the next sync applies the choice (source → written to Kakao, kakao → written back).

export async function resolveConflict(
  store: MappingStore,
  fence: Fence,
  linkId: string,
  itemKey: string | 'all',
  side: 'source' | 'kakao',
): Promise<string[]> {
  const state = await store.load(fence.userId, linkId);
  const open = [...state.items.values()].filter(
    (m) => m.conflict && (itemKey === 'all' || m.sourceKey === itemKey),
  );
  if (open.length === 0 && itemKey !== 'all') throw new NoSuchConflictError(linkId, itemKey);
  const put = open.map((m) => ({ ...m, conflict: { ...m.conflict!, resolution: side } }));
  if (put.length > 0) await store.commit(fence, linkId, { put });
  return put.map((m) => m.sourceKey);
}
