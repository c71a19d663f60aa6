import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ConfigError, ConfigFileError } from '../model/errors.js';
import { cachedDefaults } from './defaults-cache.js';
import { type Config, configSchema } from './schema.js';

// The YAML parser is loaded when a YAML text is parsed, not for cached defaults (defaults-cache.ts).
const require = createRequire(import.meta.url);
const parseYaml = (text: string): unknown => (require('yaml') as typeof import('yaml')).parse(text);

// The only module that reads process.env.

export const defaultConfigPath = fileURLToPath(new URL('../../config/default.yaml', import.meta.url));

type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isTree(prev) && isTree(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

const snakeToCamel = (s: string) =>
  s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const shortcuts: Record<string, string[]> = {
  REDIS_URL: ['redis', 'url'],
  TALKCAL_SECRET_KEY: ['security', 'secretKeys'],
  TALKCAL_ADMIN_TOKEN: ['http', 'adminToken'],
  LOG_LEVEL: ['log', 'level'],
};

/** Reads a value from the environment: JSON where it parses (numbers, booleans, lists), else the string. */
function envValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function setPath(tree: Tree, path: string[], value: unknown): void {
  let node = tree;
  for (const part of path.slice(0, -1)) {
    if (!isTree(node[part])) node[part] = {};
    node = node[part] as Tree;
  }
  node[path[path.length - 1] as string] = value;
}

export function envOverrides(env: NodeJS.ProcessEnv): Tree {
  const tree: Tree = {};
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined) continue;
    const shortcut = shortcuts[name];
    if (shortcut) {
      // Secrets and URLs are always strings; never JSON-parse them.
      setPath(tree, shortcut, name === 'LOG_LEVEL' ? raw : raw);
      continue;
    }
    if (!name.startsWith('TALKCAL_')) continue;
    const path = name.slice('TALKCAL_'.length).split('__').map(snakeToCamel);
    setPath(tree, path, envValue(raw));
  }
  return tree;
}

function valueAt(tree: unknown, path: PropertyKey[]): unknown {
  let node = tree;
  for (const part of path) {
    if (!isTree(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

export function validateConfig(raw: Tree): Config {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const redacted = /secret|token|key|password/i.test(issue.path.join('.'));
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const path = keys.length > 0 ? [...issue.path, keys.join(',')] : issue.path;
      return {
        key: path.join('.') || '(root)',
        value: redacted ? '[redacted]' : valueAt(raw, path),
        expected: keys.length > 0 ? 'no such key (unknown)' : issue.message,
      };
    }),
  );
}

export interface LoadOptions {
  /** A YAML file merged over the defaults. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values merged last (tests, the demo). */
  overrides?: Tree;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigFileError(
      path,
      code === 'ENOENT' ? 'no such file (check --config)' : `cannot be read (${code ?? 'error'})`,
    );
  }
}

/** A YAML file as a mapping; a syntax error is reported by its first line (where it is). */
function readYaml(path: string, text = readText(path)): Tree {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    throw new ConfigFileError(path, `not valid YAML: ${first}`);
  }
  if (parsed !== null && parsed !== undefined && !isTree(parsed)) {
    throw new ConfigError([{ key: path, value: typeof parsed, expected: 'a YAML mapping' }]);
  }
  return (parsed ?? {}) as Tree;
}

export function loadConfig(options: LoadOptions = {}): Config {
  let tree = cachedDefaults(readText(defaultConfigPath), (text) => readYaml(defaultConfigPath, text));
  if (options.file) tree = deepMerge(tree, readYaml(options.file));
  tree = deepMerge(tree, envOverrides(options.env ?? process.env));
  if (options.overrides) tree = deepMerge(tree, options.overrides);
  return validateConfig(tree);
}
