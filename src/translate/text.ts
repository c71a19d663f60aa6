// Titles, descriptions and places within Kakao's limits. Kakao does not document what it counts;
// the assumption is Unicode code points (a Korean syllable or "😀" is one character). The emulator's
// validator (src/kakao/validate.ts) counts UTF-16 code units, where "😀" is two. A text is cut so it
// fits under BOTH counts: the two differ only for characters outside the BMP (emoji), where the
// cost is a slightly shorter text, never a rejected request. Cuts fall on grapheme boundaries
// (Intl.Segmenter), so a Hangul syllable written as jamo or an emoji sequence is never split; the
// ellipsis '…' counts toward the limit.
import type { KakaoLocation } from '../kakao/types.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
export const ellipsis = '…';

export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Length that satisfies both counts: code points (the assumption) and UTF-16 units (the emulator). */
export function kakaoTextLength(text: string): number {
  return Math.max(codePointLength(text), text.length);
}

/** `text` if it fits in `max` characters, else the longest grapheme prefix + '…' that fits. */
export function truncateText(text: string, max: number): { text: string; truncated: boolean } {
  if (kakaoTextLength(text) <= max) return { text, truncated: false };
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const len = kakaoTextLength(segment);
    if (used + len > max - 1) break;
    out += segment;
    used += len;
  }
  return { text: out + ellipsis, truncated: true };
}

/**
 * LOCATION → Kakao location. A newline separates name and address; otherwise the part before the
 * first comma is the name and the rest the address ("Kakao, 235 Pangyoyeok-ro" → name "Kakao").
 * A value without either is only a name. Export joins them back with ", ".
 */
export function splitLocation(text: string): { name: string; address?: string } {
  const trimmed = text.trim();
  const newline = trimmed.search(/\r?\n/);
  const cut = newline >= 0 ? newline : trimmed.indexOf(',');
  if (cut <= 0) return { name: trimmed };
  const name = trimmed.slice(0, cut).trim();
  const address = trimmed
    .slice(cut + 1)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)
    .join(', ');
  return address ? { name, address } : { name };
}

/**
 * X-APPLE-STRUCTURED-LOCATION's value, an RFC 5870 geo URI ("geo:lat,lon[,alt][;u=…]") → numbers,
 * when both are in range (Apple writes it, often without GEO).
 */
export function parseGeoUri(value: string): { latitude: number; longitude: number } | undefined {
  const m = /^\s*geo:([+-]?\d+(?:\.\d+)?),([+-]?\d+(?:\.\d+)?)(?:[,;]|\s*$)/i.exec(value);
  return m ? parseGeo(`${m[1]};${m[2]}`) : undefined;
}

/** GEO "lat;lon" → numbers, when both are in range. */
export function parseGeo(value: string): { latitude: number; longitude: number } | undefined {
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*[;,]\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!m) return undefined;
  const latitude = Number(m[1]);
  const longitude = Number(m[2]);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  return { latitude, longitude };
}

export function buildLocation(
  locationText: string | undefined,
  geo: { latitude: number; longitude: number } | undefined,
  nameMax: number,
): { location?: KakaoLocation; truncated: boolean } {
  const text = locationText?.trim();
  if (!text && !geo) return { truncated: false };
  const split = text ? splitLocation(text) : { name: `${geo?.latitude}, ${geo?.longitude}` };
  const name = truncateText(split.name, nameMax);
  const location: KakaoLocation = { name: name.text };
  if (split.address) location.address = split.address;
  if (geo) {
    location.latitude = geo.latitude;
    location.longitude = geo.longitude;
  }
  return { location, truncated: name.truncated };
}
