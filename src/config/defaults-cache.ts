import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';

// The defaults file as parsed once, kept as JSON beside V8's compile cache (which `bin/talkcal.js`
// enables) under the hash of its text: every CLI command reads the defaults, and importing the YAML
// parser and parsing the commented file cost about as much as a bare Node start. Without a compile
// cache directory, or when the cache cannot be read or written, the file is parsed as usual. The
// directory is often under /tmp: a cached file is believed only when it and its directory belong to
// this user and no one else may write them (else another local user could plant a configuration).

type Tree = Record<string, unknown>;

export function cachedDefaults(
  text: string,
  parse: (text: string) => Tree,
  dir = module.getCompileCacheDir?.(),
): Tree {
  if (!dir || !ownedPrivately(dir)) return parse(text);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 24);
  const file = join(dir, `talkcal-defaults-${hash}.json`);
  try {
    if (ownedPrivately(file)) return JSON.parse(readFileSync(file, 'utf8')) as Tree;
  } catch {
    // Not cached yet (or unreadable): parse and try to keep it.
  }
  const tree = parse(text);
  try {
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(tree), { mode: 0o600 });
    renameSync(partial, file);
  } catch {
    // A cache directory that cannot be written is skipped, like the compile cache itself.
  }
  return tree;
}

/** The path belongs to this process's user and is not writable by its group or others. */
function ownedPrivately(path: string): boolean {
  try {
    const stat = statSync(path);
    return process.getuid?.() === stat.uid && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
