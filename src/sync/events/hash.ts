import { createHash } from 'node:crypto';

// Stable hashes of plain values: object keys sorted, undefined dropped, so equal content hashes equal.

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  return Array.isArray(value) ? arrayText(value) : objectText(value as Record<string, unknown>);
}

// Loops rather than entries/map/join: this runs for every hash of every planned item.

function arrayText(values: unknown[]): string {
  let text = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    // A hole is written as nothing (as `join` writes the hole `map` leaves), undefined as null.
    if (i in values) text += values[i] === undefined ? 'null' : stableStringify(values[i]);
  }
  return `${text}]`;
}

function objectText(object: Record<string, unknown>): string {
  // The default sort orders by UTF-16 code units, as `<` does.
  const keys = Object.keys(object).sort();
  let text = '';
  for (const key of keys) {
    const v = object[key];
    if (v !== undefined) text += `${text ? ',' : ''}${JSON.stringify(key)}:${stableStringify(v)}`;
  }
  return `{${text}}`;
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('base64url').slice(0, 22);
}
