// A lossless, smaller JSON for the records the sync keeps per event in Redis (mapping items and
// snapshot entries: two per synced event, so their size is the daemon's Redis size). Still JSON, so
// Lua's cjson and a person with redis-cli can read it; three rewrites on top:
// - known property names become one-letter aliases (a codec's table, append-only: a stored record
//   names its codec version);
// - UTC timestamps in the three forms the engine writes become base-36 epoch numbers;
// - a string or object that already occurred in the record (or in its context, e.g. the hash field
//   the record is stored under) becomes a back-reference to its first occurrence: the same Kakao id,
//   time or event object written twice costs a few bytes the second time.
// Strings that would read as one of these tokens are escaped, so any JSON value survives the trip.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const mark = '^';
const keyEscape = '~';
/** Strings and subtrees shorter than this are written out: a reference would not be shorter. */
const minShared = 6;

interface TimeForm {
  tag: string;
  pattern: RegExp;
  /** Epoch units of the token (1 = ms, 1000 = s). */
  unit: number;
  format: (ms: number) => string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const timeForms: TimeForm[] = [
  {
    tag: '@',
    pattern: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    unit: 1000,
    format: (ms) => `${iso(ms).slice(0, 19)}Z`,
  },
  { tag: '.', pattern: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, unit: 1, format: iso },
  {
    tag: '#',
    pattern: /^\d{8}T\d{6}Z$/,
    unit: 1000,
    format: (ms) => `${iso(ms).slice(0, 19).replace(/[-:]/g, '')}Z`,
  },
];

function parseStamp(s: string): number {
  if (s.length === 16)
    return Date.UTC(
      +s.slice(0, 4),
      +s.slice(4, 6) - 1,
      +s.slice(6, 8),
      +s.slice(9, 11),
      +s.slice(11, 13),
      +s.slice(13, 15),
    );
  return Date.parse(s);
}

/** The timestamp token of `s`, when it is a timestamp that formats back to exactly `s`. */
function timeToken(s: string): string | undefined {
  for (const form of timeForms) {
    if (!form.pattern.test(s)) continue;
    const ms = parseStamp(s);
    if (!Number.isFinite(ms) || ms < 0 || ms % form.unit !== 0 || form.format(ms) !== s) return undefined;
    return `${mark}${form.tag}${(ms / form.unit).toString(36)}`;
  }
  return undefined;
}

const timeFormByTag = new Map(timeForms.map((f) => [f.tag, f]));

function fromTimeToken(tag: string, digits: string): string | undefined {
  const form = timeFormByTag.get(tag);
  return form ? form.format(Number.parseInt(digits, 36) * form.unit) : undefined;
}

/** The encoder's numbering of strings and subtrees, in the order the decoder meets them. */
class Numbering {
  private readonly firstIndex = new Map<string, number>();
  private count = 0;

  add(json: string): void {
    if (!this.firstIndex.has(json)) this.firstIndex.set(json, this.count);
    this.count++;
  }

  first(json: string): number | undefined {
    return this.firstIndex.get(json);
  }
}

export class CompactJsonError extends Error {}

/** One codec: its alias table (index = alias), append-only once records are stored with it. */
export class CompactJson {
  private readonly aliasOf = new Map<string, string>();
  private readonly nameOf = new Map<string, string>();

  constructor(names: readonly string[]) {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    if (names.length > letters.length) throw new CompactJsonError('too many aliases for one codec');
    names.forEach((name, i) => {
      this.aliasOf.set(name, letters[i]!);
      this.nameOf.set(letters[i]!, name);
    });
  }

  encode(value: Json, context: readonly string[] = []): string {
    const seen = new Numbering();
    for (const s of context) seen.add(JSON.stringify(s));
    return JSON.stringify(this.encodeNode(value, seen));
  }

  decode(text: string, context: readonly string[] = []): Json {
    const table: Json[] = [...context];
    return this.decodeNode(JSON.parse(text) as Json, table);
  }

  private encodeKey(key: string): string {
    const alias = this.aliasOf.get(key);
    if (alias !== undefined) return alias;
    return key.length === 1 || key.startsWith(keyEscape) ? keyEscape + key : key;
  }

  private decodeKey(key: string): string {
    if (key.startsWith(keyEscape)) return key.slice(1);
    const name = this.nameOf.get(key);
    if (name === undefined && key.length === 1) throw new CompactJsonError(`unknown alias "${key}"`);
    return name ?? key;
  }

  private encodeNode(value: Json, seen: Numbering): Json {
    if (value === null || typeof value !== 'object') {
      return typeof value === 'string' ? this.encodeString(value, seen) : value;
    }
    // Every object and array is numbered (the decoder numbers them before it knows their size);
    // only one long enough is worth a reference.
    const whole = JSON.stringify(value);
    const earlier = seen.first(whole);
    if (earlier !== undefined && whole.length >= minShared) return mark + earlier.toString(36);
    seen.add(whole);
    if (Array.isArray(value)) return value.map((v) => this.encodeNode(v, seen));
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) out[this.encodeKey(k)] = this.encodeNode(v, seen);
    return out;
  }

  private encodeString(s: string, seen: Numbering): string {
    if (s.length < minShared) return s.startsWith(mark) ? mark + s : s;
    const whole = JSON.stringify(s);
    const earlier = seen.first(whole);
    if (earlier !== undefined) return mark + earlier.toString(36);
    seen.add(whole);
    return timeToken(s) ?? (s.startsWith(mark) ? mark + s : s);
  }

  private decodeNode(value: Json, table: Json[]): Json {
    if (value === null || typeof value !== 'object') {
      return typeof value === 'string' ? this.decodeString(value, table) : value;
    }
    // The slot is taken before the children, as the encoder numbered it.
    const slot = table.length;
    table.push(null);
    let out: Json;
    if (Array.isArray(value)) out = value.map((v) => this.decodeNode(v, table));
    else {
      const obj: { [key: string]: Json } = {};
      // for-in, not entries: a parsed object has only its own keys, and this runs on every poll.
      for (const k in value) obj[this.decodeKey(k)] = this.decodeNode(value[k]!, table);
      out = obj;
    }
    table[slot] = out;
    return out;
  }

  private decodeString(s: string, table: Json[]): Json {
    if (!s.startsWith(mark)) {
      if (s.length >= minShared) table.push(s);
      return s;
    }
    const body = s.slice(1);
    if (body.startsWith(mark)) {
      if (body.length >= minShared) table.push(body);
      return body;
    }
    const time = body.length > 1 ? fromTimeToken(body[0]!, body.slice(1)) : undefined;
    if (time !== undefined) {
      table.push(time);
      return time;
    }
    const ref = table[Number.parseInt(body, 36)];
    if (ref === undefined) throw new CompactJsonError(`dangling reference "${s}"`);
    return typeof ref === 'object' && ref !== null ? structuredClone(ref) : ref;
  }
}
