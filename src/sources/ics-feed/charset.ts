// Turns feed bytes into text. Feeds are UTF-8 in theory; in practice some carry a BOM, declare
// another charset, or are windows-1252 without saying so.

export interface DecodedBody {
  text: string;
  /** The encoding actually used (WHATWG label). */
  encoding: string;
  /** Set when the bytes did not match what was declared and a fallback was used. */
  warning?: string;
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

function knownEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

/**
 * Decodes a body: a BOM wins, then a declared charset, then UTF-8; bytes that are not valid in the
 * chosen UTF encoding fall back to windows-1252 (which maps every byte) with a warning.
 */
export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedBody {
  const bom = bomEncoding(bytes);
  const declared = charsetOf(contentType);
  let encoding = bom?.encoding ?? 'utf-8';
  let warning: string | undefined;
  if (!bom && declared) {
    const known = knownEncoding(declared);
    if (known) encoding = known;
    else warning = `unknown charset "${declared}" declared; tried UTF-8`;
  }
  const body = bom ? bytes.subarray(bom.length) : bytes;
  try {
    return {
      text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body),
      encoding,
      ...(warning ? { warning } : {}),
    };
  } catch {
    return {
      text: new TextDecoder('windows-1252').decode(body),
      encoding: 'windows-1252',
      warning: `body is not valid ${encoding}; decoded as windows-1252`,
    };
  }
}
