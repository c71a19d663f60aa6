import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidPageRequestError } from '../../../src/registry/errors.js';
import { encodeCursor, pageRequest } from '../../../src/registry/page-request.js';

const bounds = { listPageSize: 100, maxListPageSize: 1000 };

describe('pageRequest', () => {
  it('resumes after the id a cursor was made from, for any user id', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        fc.integer({ min: 1, max: 1000 }),
        (id, limit) => {
          expect(pageRequest({ limit: String(limit), cursor: encodeCursor(id) }, bounds)).toEqual({
            limit,
            after: id,
          });
        },
      ),
    );
  });

  it('takes the default size without a limit and refuses what is out of bounds', () => {
    expect(pageRequest({}, bounds)).toEqual({ limit: 100 });
    expect(() => pageRequest({ limit: '1001' }, bounds)).toThrow(InvalidPageRequestError);
    expect(() => pageRequest({ limit: '2.5' }, bounds)).toThrow(/whole number/);
    expect(() => pageRequest({ cursor: encodeCursor('a b') }, bounds)).toThrow(/not one a listing returned/);
  });
});
