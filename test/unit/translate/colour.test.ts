import { describe, expect, it } from 'vitest';
import { kakaoColorNames, kakaoColors } from '../../../src/kakao/types.js';
import {
  cssColorToKakaoColor,
  hexToKakaoColor,
  InvalidColourError,
  kakaoColorToHex,
} from '../../../src/translate/colour.js';
import { codes, mainEvent } from './event-helpers.js';

describe('colour mapping', () => {
  it.each(kakaoColorNames)('%s ⇄ its documented hex code exactly', (name) => {
    expect(hexToKakaoColor(`#${kakaoColors[name]}`)).toEqual({ color: name, exact: true });
    expect(hexToKakaoColor(kakaoColors[name].toLowerCase())).toEqual({ color: name, exact: true });
    expect(kakaoColorToHex(name)).toBe(`#${kakaoColors[name]}`);
  });

  it('accepts Apple #RRGGBBAA and ignores alpha', () => {
    expect(hexToKakaoColor('#D42726FF')).toEqual({ color: 'RED', exact: true });
  });

  it.each([
    ['red', 'RED'],
    ['crimson', 'RED'],
    ['green', 'GREEN'],
    ['navy', 'NAVY_BLUE'],
    ['gray', 'GRAY'],
    ['dimgray', 'GRAY'],
    ['orange', 'ORANGE'],
    ['hotpink', 'PINK'],
    ['purple', 'VIOLET'],
    ['turquoise', 'MINT'],
    ['saddlebrown', 'BROWN'],
    ['olive', 'OLIVE'],
    ['yellowgreen', 'LIME'],
  ] as const)('CSS %s → nearest %s', (css, kakao) => {
    expect(cssColorToKakaoColor(css)).toEqual({ color: kakao, exact: false });
  });

  it('uses perceptual distance, not RGB distance', () => {
    // #2C88DF is one step from BLUE; the nearest is BLUE, never ROYAL_BLUE.
    expect(hexToKakaoColor('#2C88DF')).toEqual({ color: 'BLUE', exact: false });
  });

  it('rejects what is not a colour', () => {
    expect(() => hexToKakaoColor('#12345')).toThrow(InvalidColourError);
    expect(cssColorToKakaoColor('not-a-colour')).toBeUndefined();
  });

  it('colours an event from COLOR or X-APPLE-CALENDAR-COLOR with a warning when approximate', () => {
    const css = mainEvent([['DTSTART:20240510T090000Z', 'COLOR:crimson']]);
    expect(css.color).toBe('RED');
    expect(codes(css.result)).toContain('color-approximated');
    const apple = mainEvent([['DTSTART:20240510T090000Z', 'X-APPLE-CALENDAR-COLOR:#149959FF']]);
    expect(apple.color).toBe('GREEN');
    expect(codes(apple.result)).not.toContain('color-approximated');
  });
});
