// The opaque cursor CaldavStorage hands the engine: the sync-token when the server supports
// sync-collection, else the ctag. A cursor that cannot be read (foreign, corrupted, older format)
// simply means "no cursor": the next read is a full one, never a wrong delta.

export type CaldavCursor = { v: 1; syncToken: string } | { v: 1; ctag: string } | { v: 1 };

export function encodeCursor(state: { syncToken?: string | undefined; ctag?: string | undefined }): string {
  if (state.syncToken) return JSON.stringify({ v: 1, syncToken: state.syncToken });
  if (state.ctag) return JSON.stringify({ v: 1, ctag: state.ctag });
  return JSON.stringify({ v: 1 });
}

export function decodeCursor(cursor: string | undefined): { syncToken?: string; ctag?: string } {
  if (!cursor) return {};
  let value: unknown;
  try {
    value = JSON.parse(cursor);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null || (value as { v?: unknown }).v !== 1) return {};
  const { syncToken, ctag } = value as { syncToken?: unknown; ctag?: unknown };
  if (typeof syncToken === 'string' && syncToken !== '') return { syncToken };
  if (typeof ctag === 'string' && ctag !== '') return { ctag };
  return {};
}
