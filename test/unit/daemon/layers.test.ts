import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The CLI sits on top: it may use the daemon and every layer below, none of them may use it.

const src = resolve(import.meta.dirname, '../../../src');
const cli = join(src, 'cli');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

const importsOf = (text: string) =>
  [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']+)'/g)].map((m) => m[1] ?? '');

describe('layers', () => {
  it('nothing outside src/cli imports from it', () => {
    const outside = sourceFiles(src).filter((file) => !file.startsWith(`${cli}/`));
    expect(outside.length).toBeGreaterThan(100);
    const intoCli = outside.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => resolve(dirname(file), spec).startsWith(`${cli}/`))
        .map((spec) => `${relative(src, file)} → ${spec}`),
    );
    expect(intoCli).toEqual([]);
  });
});
