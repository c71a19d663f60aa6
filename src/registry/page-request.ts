import { InvalidPageRequestError } from './errors.js';

// One page of a listing: `limit` items after an opaque cursor. The cursor is the last id shown,
// base64url-encoded so clients treat it as a token rather than build one; the listing resumes after
// it whether or not that id still exists.

export interface PageBounds {
  /** limits.listPageSize: items of a page when the request names no limit. */
  listPageSize: number;
  /** limits.maxListPageSize: the most items one page may ask for. */
  maxListPageSize: number;
}

export interface PageRequest {
  limit: number;
  /** The id the previous page ended with; undefined = the first page. */
  after?: string;
}

export interface Page<T> {
  items: T[];
  /** The cursor of the next page, null after the last one. */
  next: string | null;
}

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

/** Validates a listing request against the configured bounds (throws InvalidPageRequestError). */
export function pageRequest(
  input: { limit?: string | number | undefined; cursor?: string | undefined },
  bounds: PageBounds,
): PageRequest {
  const limit = input.limit === undefined ? bounds.listPageSize : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidPageRequestError(`limit must be a whole number from 1, got ${String(input.limit)}`);
  }
  if (limit > bounds.maxListPageSize) {
    throw new InvalidPageRequestError(
      `limit ${limit} is too big: at most ${bounds.maxListPageSize} (limits.maxListPageSize)`,
    );
  }
  if (input.cursor === undefined || input.cursor === '') return { limit };
  const after = Buffer.from(input.cursor, 'base64url').toString('utf8');
  if (!idPattern.test(after) || encodeCursor(after) !== input.cursor) {
    throw new InvalidPageRequestError(`cursor ${JSON.stringify(input.cursor)} is not one a listing returned`);
  }
  return { limit, after };
}
