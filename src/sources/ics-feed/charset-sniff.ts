// Measures how well bytes fit an encoding: how many sequences a decoder had to replace, how many
// valid multibyte UTF-8 sequences there are, and which legacy charset an undeclared non-UTF-8 body
// most likely uses. Pure: no I/O.

/** U+FFFD characters that the body itself encodes (so they are not decoding errors). */
function encodedReplacements(bytes: Uint8Array, encoding: string): number {
  let n = 0;
  if (encoding === 'utf-8') {
    for (let i = bytes.indexOf(0xef); i !== -1; i = bytes.indexOf(0xef, i + 1)) {
      if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) n++;
    }
  } else if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const [lo, hi] = encoding === 'utf-16le' ? [0xfd, 0xff] : [0xff, 0xfd];
    for (let i = 0; i + 1 < bytes.length; i += 2) if (bytes[i] === lo && bytes[i + 1] === hi) n++;
  }
  // Legacy charsets have no byte sequence for U+FFFD (gb18030 has one; it is not worth the code).
  return n;
}

function countReplacementChars(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) n++;
  return n;
}

/** Decodes without failing and counts the sequences the decoder replaced with U+FFFD. */
export function decodeCounting(bytes: Uint8Array, encoding: string): { text: string; replaced: number } {
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  const replaced = countReplacementChars(text) - encodedReplacements(bytes, encoding);
  return { text, replaced: Math.max(0, replaced) };
}

/** Non-ASCII characters of a text (a surrogate pair counts once). */
function nonAsciiCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 && (c < 0xdc00 || c > 0xdfff)) n++;
  }
  return n;
}

export interface Utf8Profile {
  /** The body decoded as UTF-8, one U+FFFD per invalid sequence. */
  text: string;
  /** Invalid sequences (each replaced by one U+FFFD). */
  replaced: number;
  /** Valid multibyte sequences (characters outside ASCII that were really there). */
  multibyte: number;
}

export function utf8Profile(bytes: Uint8Array): Utf8Profile {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return { text, replaced: 0, multibyte: nonAsciiCount(text) };
  } catch {
    const { text, replaced } = decodeCounting(bytes, 'utf-8');
    const multibyte = nonAsciiCount(text) - countReplacementChars(text) + encodedReplacements(bytes, 'utf-8');
    return { text, replaced, multibyte };
  }
}

/**
 * Whether the body as a whole is not UTF-8: invalid sequences outnumber the valid multibyte ones.
 * Text in a legacy charset is almost never valid UTF-8 past a stray pair, while a UTF-8 feed with a
 * few broken bytes still has far more good sequences than bad ones (a Korean title alone has several).
 */
export function isNotUtf8(profile: Utf8Profile): boolean {
  return profile.replaced > profile.multibyte;
}

const isHangulSyllable = (c: number) => c >= 0xac00 && c <= 0xd7a3;

/**
 * The legacy charset of an undeclared non-UTF-8 body: EUC-KR (as WHATWG's euc-kr, i.e. windows-949)
 * when every byte is valid there and most non-ASCII characters come out as Hangul syllables,
 * otherwise windows-1252 (which maps every byte). Western text rarely passes: an accented lower-case
 * letter followed by ASCII is not a valid EUC-KR pair.
 */
export function guessLegacyCharset(bytes: Uint8Array): 'euc-kr' | 'windows-1252' {
  let text: string;
  try {
    text = new TextDecoder('euc-kr', { fatal: true }).decode(bytes);
  } catch {
    return 'windows-1252';
  }
  let hangul = 0;
  for (let i = 0; i < text.length; i++) if (isHangulSyllable(text.charCodeAt(i))) hangul++;
  const nonAscii = nonAsciiCount(text);
  return nonAscii > 0 && hangul * 2 >= nonAscii ? 'euc-kr' : 'windows-1252';
}
