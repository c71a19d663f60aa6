// Turns feed bytes into text. Feeds are UTF-8 in theory; in practice some carry a BOM, declare
// another charset, have a few broken bytes, or are in a legacy charset without saying so. A few
// broken bytes must not turn a whole UTF-8 feed into mojibake: they are replaced one by one.
import {
  decodeCounting,
  guessLegacyCharset,
  isNotUtf8,
  type Utf8Profile,
  utf8Profile,
} from './charset-sniff.js';

/** Something the decoder had to guess or repair; `message` is the one-line human form. */
export type CharsetWarning =
  | { code: 'invalid-sequences'; encoding: string; replaced: number; message: string }
  | { code: 'legacy-charset'; encoding: string; declared?: string; message: string }
  | { code: 'declared-charset-ignored'; declared: string; encoding: string; message: string }
  | { code: 'unknown-charset'; declared: string; message: string };

export interface DecodedBody {
  text: string;
  /** The encoding actually used (WHATWG name). */
  encoding: string;
  warnings: CharsetWarning[];
}

/** The charset parameter of a Content-Type header, lower-cased, or undefined. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return m?.[2]?.toLowerCase();
}

function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

// Windows' names for Korean code page 949, which Korean servers declare; WHATWG's euc-kr is it.
const koreanAliases = new Set(['cp949', 'ms949', 'uhc', 'x-windows-949']);

function knownEncoding(label: string): string | undefined {
  if (koreanAliases.has(label)) return 'euc-kr';
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function invalidSequences(encoding: string, replaced: number): CharsetWarning {
  const message = `${plural(replaced, `invalid ${encoding} sequence`)} replaced with U+FFFD`;
  return { code: 'invalid-sequences', encoding, replaced, message };
}

/** Decodes as `encoding`, warning with the count of replaced sequences if there are any. */
function decodeAs(bytes: Uint8Array, encoding: string, warnings: CharsetWarning[]): DecodedBody {
  const { text, replaced } = decodeCounting(bytes, encoding);
  if (replaced > 0) warnings.push(invalidSequences(encoding, replaced));
  return { text, encoding, warnings };
}

/** A declared legacy charset is used unless the body is plainly UTF-8 (a common server mistake). */
function decodeDeclared(bytes: Uint8Array, declared: string, warnings: CharsetWarning[]): DecodedBody {
  if (!declared.startsWith('utf-16')) {
    const utf8 = utf8Profile(bytes);
    if (utf8.replaced === 0 && utf8.multibyte > 0) {
      const message = `declared charset ${declared} ignored: the body is valid UTF-8`;
      warnings.push({ code: 'declared-charset-ignored', declared, encoding: 'utf-8', message });
      return { text: utf8.text, encoding: 'utf-8', warnings };
    }
  }
  return decodeAs(bytes, declared, warnings);
}

function legacyWarning(encoding: string, utf8: Utf8Profile, declared: string | undefined): CharsetWarning {
  const counts = `${plural(utf8.replaced, 'invalid sequence')}, ${utf8.multibyte} valid multibyte`;
  const said = declared ? ` though declared ${declared}` : '';
  const message = `the body is not UTF-8${said} (${counts}); decoded as ${encoding}`;
  return { code: 'legacy-charset', encoding, ...(declared ? { declared } : {}), message };
}

/** UTF-8 (declared or assumed): bad sequences are replaced one by one unless the body is not UTF-8 at all. */
function decodeUtf8(
  bytes: Uint8Array,
  declared: string | undefined,
  warnings: CharsetWarning[],
): DecodedBody {
  const utf8 = utf8Profile(bytes);
  if (!isNotUtf8(utf8)) {
    if (utf8.replaced > 0) warnings.push(invalidSequences('utf-8', utf8.replaced));
    return { text: utf8.text, encoding: 'utf-8', warnings };
  }
  const encoding = guessLegacyCharset(bytes);
  warnings.push(legacyWarning(encoding, utf8, declared));
  return decodeAs(bytes, encoding, warnings);
}

/**
 * Decodes a body: a BOM wins, then a declared charset, then UTF-8. UTF-8 is decoded sequence by
 * sequence (one U+FFFD per bad sequence, counted in a warning); a legacy charset is used when
 * declared, or when the body as a whole is not UTF-8 (then guessed, with a warning naming it).
 */
export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedBody {
  const bom = bomEncoding(bytes);
  if (bom) return decodeAs(bytes.subarray(bom.length), bom.encoding, []);
  const warnings: CharsetWarning[] = [];
  const label = charsetOf(contentType);
  const declared = label ? knownEncoding(label) : undefined;
  if (label && !declared) {
    warnings.push({
      code: 'unknown-charset',
      declared: label,
      message: `unknown charset "${label}" declared; ignored`,
    });
  }
  if (declared && declared !== 'utf-8') return decodeDeclared(bytes, declared, warnings);
  return decodeUtf8(bytes, declared, warnings);
}
