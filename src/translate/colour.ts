// Kakao's 15 named colours ⇄ hex. A hex code Kakao documents maps to its name exactly; any other
// colour to the perceptually nearest one (CIEDE2000 in CIE Lab, not RGB distance).
import { type Color, differenceCiede2000, parse, parseHex } from 'culori';
import { type KakaoColor, kakaoColorNames, kakaoColors } from '../kakao/types.js';
import { TalkcalError } from '../model/errors.js';

export interface KakaoColorMatch {
  color: KakaoColor;
  exact: boolean;
}

/** A colour value that is neither a hex code nor a CSS colour. */
export class InvalidColourError extends TalkcalError {
  readonly scope = 'item';

  constructor(readonly value: string) {
    super(`not a colour: ${JSON.stringify(value.slice(0, 40))}`);
  }
}

const distance = differenceCiede2000();
const palette = kakaoColorNames.map((name) => ({ name, rgb: parseHex(kakaoColors[name]) as Color }));

function nearest(rgb: Color): KakaoColor {
  let best: KakaoColor = 'BLUE';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const entry of palette) {
    const d = distance(rgb, entry.rgb);
    if (d < bestDistance) {
      bestDistance = d;
      best = entry.name;
    }
  }
  return best;
}

/** "#RRGGBB", "RRGGBB", "#RRGGBBAA" (Apple's X-APPLE-CALENDAR-COLOR) or "#RGB"; alpha is ignored. */
export function hexToKakaoColor(hex: string): KakaoColorMatch {
  const digits = hex.trim().replace(/^#/, '');
  if (!/^(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(digits)) throw new InvalidColourError(hex);
  const rgbHex = digits.length === 8 ? digits.slice(0, 6) : digits;
  const upper = rgbHex.toUpperCase();
  const exact = kakaoColorNames.find((n) => kakaoColors[n] === upper);
  if (exact) return { color: exact, exact: true };
  const rgb = parseHex(`#${rgbHex}`);
  if (!rgb) throw new InvalidColourError(hex);
  return { color: nearest(rgb), exact: false };
}

/** A CSS3 colour name (RFC 7986 COLOR) or any CSS colour text; undefined when not a colour. */
export function cssColorToKakaoColor(name: string): KakaoColorMatch | undefined {
  const text = name.trim();
  if (/^#?[0-9a-f]+$/i.test(text)) {
    try {
      return hexToKakaoColor(text);
    } catch {
      return undefined;
    }
  }
  const parsed = parse(text.toLowerCase());
  if (!parsed) return undefined;
  return { color: nearest(parsed), exact: false };
}

export function kakaoColorToHex(c: KakaoColor): string {
  return `#${kakaoColors[c]}`;
}
