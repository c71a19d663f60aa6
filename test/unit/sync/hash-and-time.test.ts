import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableStringify } from '../../../src/sync/events/hash.js';
import { normTime } from '../../../src/sync/events/projection.js';

// The hash and time helpers have fast paths (they run on every poll); each must give what its plain
// definition, kept here as the reference, gives for every input.

function referenceStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : referenceStringify(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceStringify(v)}`).join(',')}}`;
}

function referenceNormTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The result, or the kind of error: both implementations must throw alike too. */
function outcome(f: () => string): string {
  try {
    return `ok ${f()}`;
  } catch (err) {
    return `throws ${(err as Error).constructor.name}`;
  }
}

describe('stableStringify', () => {
  it('writes what the plain definition writes, for any value (property)', () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    });
    fc.assert(
      fc.property(anything, (value) => {
        expect(outcome(() => stableStringify(value))).toBe(outcome(() => referenceStringify(value)));
      }),
      { numRuns: 2000 },
    );
  });

  it('orders keys by code units, drops undefined fields and keeps holes and undefined items apart', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    const value = { b: [1, , undefined], a: undefined, é: 1, Z: { 'x"': 2 }, '': null };
    expect(stableStringify(value)).toBe(referenceStringify(value));
    expect(stableStringify(value)).toBe('{"":null,"Z":{"x\\"":2},"b":[1,,null],"é":1}');
  });
});

describe('normTime', () => {
  const digits = (width: number, max: number) =>
    fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0'));
  // Every field of the form normTime keeps, each over its whole two- or four-digit range.
  const secondForm = fc
    .tuple(
      fc.oneof(digits(4, 9999), fc.constantFrom('0000', '1900', '2000', '2024', '2100', '1970')),
      digits(2, 99),
      digits(2, 99),
      digits(2, 99),
      digits(2, 99),
      digits(2, 99),
    )
    .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  // Near the edges of the calendar, where a parse rolls over into the next day or month.
  const edge = (...values: string[]) => fc.constantFrom(...values);
  const edgeForm = fc
    .tuple(
      edge('1899', '1900', '2000', '2023', '2024', '2100'),
      edge('00', '01', '02', '04', '12', '13'),
      edge('00', '01', '28', '29', '30', '31', '32'),
      edge('00', '23', '24'),
      edge('00', '59', '60'),
      edge('00', '59', '60'),
    )
    .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  const otherForms = fc.oneof(
    fc.string(),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+09:00')),
    fc.constantFrom('2024-05-01T09:00:00', '2024-05-01', '2024-05-01T09:00:00z', ' 2024-05-01T09:00:00Z'),
  );

  it('gives what Date.parse and toISOString give, for any string (property)', () => {
    fc.assert(
      fc.property(fc.oneof(secondForm, edgeForm, otherForms), (value) => {
        expect(normTime(value)).toBe(referenceNormTime(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('rolls over what is not a real time, as Date.parse does', () => {
    expect(normTime('2024-02-30T00:00:00Z')).toBe('2024-03-01T00:00:00Z');
    expect(normTime('2023-02-29T00:00:00Z')).toBe('2023-03-01T00:00:00Z');
    expect(normTime('2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00Z');
    expect(normTime('2100-02-29T00:00:00Z')).toBe('2100-03-01T00:00:00Z');
    expect(normTime('2024-05-01T24:00:00Z')).toBe('2024-05-02T00:00:00Z');
    expect(normTime('2024-13-01T00:00:00Z')).toBe('2024-13-01T00:00:00Z');
  });
});
