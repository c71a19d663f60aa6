// EUC-KR bytes for charset tests. Node has no EUC-KR encoder, so the decoder's own table is reversed
// (ASCII and the KS X 1001 Hangul block, which is all the tests write).

let table: Map<string, number[]> | undefined;

function hangulTable(): Map<string, number[]> {
  if (table) return table;
  const decoder = new TextDecoder('euc-kr');
  table = new Map();
  for (let lead = 0xb0; lead <= 0xc8; lead++) {
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      table.set(decoder.decode(Uint8Array.of(lead, trail)), [lead, trail]);
    }
  }
  return table;
}

export function encodeEucKr(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const pair = code < 0x80 ? [code] : hangulTable().get(ch);
    if (!pair) throw new Error(`no EUC-KR code for ${ch} in the test table`);
    out.push(...pair);
  }
  return Buffer.from(out);
}
