import { CliUsageError } from './errors.js';
import { readInputFile } from './input-file.js';

// The tokens file of `talkcal users add --tokens-file`: either Kakao's own token response as a
// person gets it from POST /oauth/token (access_token, refresh_token, expires_in,
// refresh_token_expires_in, scope, …) or the daemon's camelCase form. Messages never quote a token.

export interface TokensInput {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshTokenExpiresIn?: number;
  scopes?: string[];
}

const formats =
  'expected Kakao\'s token response {"access_token", "refresh_token", "expires_in", …} ' +
  'or {"accessToken", "refreshToken", "expiresIn"}';

type Fields = Record<string, unknown>;

function text(fields: Fields, key: string, missing: string[]): string {
  const value = fields[key];
  if (typeof value === 'string' && value !== '') return value;
  missing.push(`${key} (a non-empty string)`);
  return '';
}

function seconds(fields: Fields, key: string, missing: string[], optional = false): number | undefined {
  const value = fields[key];
  if (value === undefined && optional) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  missing.push(`${key} (whole seconds > 0)`);
  return undefined;
}

function fromKakao(fields: Fields, missing: string[]): TokensInput {
  const scope = fields['scope'];
  if (scope !== undefined && typeof scope !== 'string') missing.push('scope (space-separated text)');
  const refreshIn = seconds(fields, 'refresh_token_expires_in', missing, true);
  const scopes = typeof scope === 'string' ? scope.split(/\s+/).filter((s) => s !== '') : [];
  return {
    accessToken: text(fields, 'access_token', missing),
    refreshToken: text(fields, 'refresh_token', missing),
    expiresIn: seconds(fields, 'expires_in', missing) ?? 0,
    ...(refreshIn ? { refreshTokenExpiresIn: refreshIn } : {}),
    ...(scopes.length > 0 ? { scopes } : {}),
  };
}

function fromCamel(fields: Fields, missing: string[]): TokensInput {
  const scopes = fields['scopes'];
  if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string')))
    missing.push('scopes (a list of strings)');
  const refreshIn = seconds(fields, 'refreshTokenExpiresIn', missing, true);
  return {
    accessToken: text(fields, 'accessToken', missing),
    refreshToken: text(fields, 'refreshToken', missing),
    expiresIn: seconds(fields, 'expiresIn', missing) ?? 0,
    ...(refreshIn ? { refreshTokenExpiresIn: refreshIn } : {}),
    ...(Array.isArray(scopes) && scopes.length > 0 ? { scopes: scopes as string[] } : {}),
  };
}

/** Tokens from the parsed JSON of a tokens file (`file` names it in errors). */
export function tokensFromJson(value: unknown, file: string): TokensInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CliUsageError(`tokens file ${file}: not a JSON object; ${formats}`);
  const fields = value as Fields;
  const kakao = Object.keys(fields).some((key) => key.includes('_'));
  const missing: string[] = [];
  const tokens = kakao ? fromKakao(fields, missing) : fromCamel(fields, missing);
  if (missing.length > 0)
    throw new CliUsageError(`tokens file ${file}: missing or invalid ${missing.join(', ')}; ${formats}`);
  return tokens;
}

/**
 * Where JSON.parse stopped, without its own message: V8 quotes the text around the error, which
 * here would be a token.
 */
function jsonProblem(raw: string, error: Error): string {
  if (raw.trim() === '') return 'the file is empty';
  if (/unexpected end|unterminated/i.test(error.message)) return 'it ends too early (cut short?)';
  const at = /line (\d+) column (\d+)/.exec(error.message);
  return at ? `syntax error at line ${at[1]} column ${at[2]}` : 'syntax error';
}

/** Reads and checks a tokens file (`-` or /dev/stdin reads standard input). */
export function readTokensFile(file: string): TokensInput {
  const raw = readInputFile(file === '-' ? '/dev/stdin' : file, 'tokens file');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new CliUsageError(`tokens file ${file}: not valid JSON: ${jsonProblem(raw, error as Error)}`);
  }
  return tokensFromJson(parsed, file);
}
