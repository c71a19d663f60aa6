// Reads a response body through its Content-Encoding with a hard cap on the decoded size, so
// neither a huge feed nor a compression bomb is ever held in memory past the cap.
import { createHash } from 'node:crypto';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

export class BodyTooLargeError extends Error {}
export class UnsupportedEncodingError extends Error {}

export interface ReadBody {
  bytes: Buffer;
  /** sha256 (hex) of the decoded bytes. */
  sha256: string;
}

function decoderFor(coding: string, firstByte: number | undefined): Transform | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      // Servers send either zlib-wrapped (as the RFC says) or raw deflate; a zlib header starts 0x?8.
      return firstByte !== undefined && (firstByte & 0x0f) === 8 ? createInflate() : createInflateRaw();
    case 'br':
      return createBrotliDecompress();
    case 'identity':
    case '':
      return undefined;
    default:
      throw new UnsupportedEncodingError(`unsupported content-encoding "${coding}"`);
  }
}

/** The codings of a Content-Encoding header in the order they must be undone. */
export function codingsToUndo(contentEncoding: string | undefined): string[] {
  return (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
}

/**
 * Streams `body` through the decoders for `contentEncoding`, stopping (and destroying the source)
 * as soon as more than `maxBytes` decoded bytes arrive.
 */
export async function readCappedBody(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<ReadBody> {
  const codings = codingsToUndo(contentEncoding);
  const chunks: Buffer[] = [];
  const hash = createHash('sha256');
  let total = 0;

  const sink = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) throw new BodyTooLargeError(`body exceeds ${maxBytes} bytes`);
      chunks.push(chunk);
      hash.update(chunk);
    }
  };

  try {
    if (codings.length === 0) {
      await sink(body);
    } else {
      const first = await peekFirstByte(body);
      const decoders = codings.map((c, i) => decoderFor(c, i === 0 ? first.byte : undefined));
      const stages = [first.stream, ...decoders.filter((d) => d !== undefined), sink];
      await (pipeline as unknown as (...s: unknown[]) => Promise<void>)(...stages);
    }
  } finally {
    if (!body.readableEnded) body.destroy();
  }
  return { bytes: Buffer.concat(chunks, total), sha256: hash.digest('hex') };
}

/** Reads the first chunk to sniff it, and gives back a stream that still starts with it. */
async function peekFirstByte(
  body: Readable,
): Promise<{ byte: number | undefined; stream: AsyncIterable<Buffer> }> {
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await it.next();
  const firstChunk = head.done ? undefined : head.value;
  async function* rest() {
    if (firstChunk) yield firstChunk;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
  }
  return { byte: firstChunk?.[0], stream: rest() };
}
