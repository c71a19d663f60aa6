import { describe, expect, it } from 'vitest';
import { codePointLength, splitLocation, truncateText } from '../../../src/translate/text.js';
import { codes, mainEvent } from './event-helpers.js';

const korean =
  '대한민국 서울특별시 강남구 테헤란로에서 열리는 개발자 컨퍼런스와 네트워킹 행사에 오신 것을 환영합니다 즐거운 시간';

describe('truncateText', () => {
  it('leaves text within the limit alone', () => {
    expect(truncateText('hello', 5)).toEqual({ text: 'hello', truncated: false });
  });

  it('cuts Korean text of 50+ characters to 50 with an ellipsis', () => {
    expect(codePointLength(korean)).toBeGreaterThan(50);
    const cut = truncateText(korean, 50);
    expect(cut.truncated).toBe(true);
    expect(codePointLength(cut.text)).toBe(50);
    expect(cut.text.endsWith('…')).toBe(true);
    expect(korean.startsWith(cut.text.slice(0, -1))).toBe(true);
  });

  it('never splits a grapheme: Hangul jamo, emoji ZWJ sequences, flags', () => {
    const jamo = '\u1112\u1161\u11AB'.repeat(30); // 한 as conjoining jamo, 3 code points each
    const cut = truncateText(jamo, 50);
    expect(cut.text.slice(0, -1).length % 3).toBe(0);
    const family = '👨‍👩‍👧'.repeat(10);
    const cutFamily = truncateText(family, 20);
    expect(family.startsWith(cutFamily.text.slice(0, -1))).toBe(true);
    expect(cutFamily.text.slice(0, -1).length % '👨‍👩‍👧'.length).toBe(0);
  });

  it('fits emoji text under the UTF-16 count too', () => {
    const cut = truncateText('😀'.repeat(60), 50);
    expect(cut.text.length).toBeLessThanOrEqual(50);
    expect(cut.text).toBe(`${'😀'.repeat(24)}…`);
  });
});

describe('text fields of events', () => {
  it('cuts a long title and keeps the full title atop the description', () => {
    const e = mainEvent([['DTSTART:20240510T090000Z', `SUMMARY:${korean}`, 'DESCRIPTION:본문']]);
    expect(codePointLength(e.title)).toBe(50);
    expect(e.description).toBe(`${korean}\n\n본문`);
    expect(codes(e.result)).toContain('title-truncated');
  });

  it('gives a placeholder title when SUMMARY is missing or blank', () => {
    expect(mainEvent([['DTSTART:20240510T090000Z']]).title).toBe('(no title)');
    expect(mainEvent([['DTSTART:20240510T090000Z', 'SUMMARY:  ']]).title).toBe('(no title)');
  });

  it('unescapes TEXT values', () => {
    const e = mainEvent([['DTSTART:20240510T090000Z', 'SUMMARY:a\\, b\\; c', 'DESCRIPTION:line1\\nline2']]);
    expect(e.title).toBe('a, b; c');
    expect(e.description).toBe('line1\nline2');
  });

  it('cuts a description over 5000 characters', () => {
    const e = mainEvent([['DTSTART:20240510T090000Z', `DESCRIPTION:${'가'.repeat(6000)}`]]);
    expect(codePointLength(e.description ?? '')).toBe(5000);
    expect(codes(e.result)).toContain('description-truncated');
  });

  it('keeps URL as a trailing line of the description', () => {
    const e = mainEvent([['DTSTART:20240510T090000Z', 'DESCRIPTION:Agenda', 'URL:https://example.com/x']]);
    expect(e.description).toBe('Agenda\n\nURL: https://example.com/x');
  });

  it('maps LOCATION with an address part and GEO', () => {
    const e = mainEvent([
      [
        'DTSTART:20240510T090000Z',
        'LOCATION:Kakao\\, 235 Pangyoyeok-ro\\, Seongnam-si',
        'GEO:37.3957;127.1104',
      ],
    ]);
    expect(e.location).toEqual({
      name: 'Kakao',
      address: '235 Pangyoyeok-ro, Seongnam-si',
      latitude: 37.3957,
      longitude: 127.1104,
    });
  });

  it('cuts a location name over 100 characters', () => {
    const e = mainEvent([['DTSTART:20240510T090000Z', `LOCATION:${'장소'.repeat(80)}`]]);
    expect(codePointLength(e.location?.name ?? '')).toBe(100);
    expect(codes(e.result)).toContain('location-truncated');
  });

  it('drops an empty LOCATION and an out-of-range GEO', () => {
    const e = mainEvent([['DTSTART:20240510T090000Z', 'LOCATION:', 'GEO:123;500']]);
    expect(e.location).toBeUndefined();
  });
});

describe('splitLocation', () => {
  it.each([
    ['Room 4', { name: 'Room 4' }],
    ['Office\n1 Main St\nSpringfield', { name: 'Office', address: '1 Main St, Springfield' }],
    ['Cafe, Seoul', { name: 'Cafe', address: 'Seoul' }],
  ])('%j', (input, expected) => {
    expect(splitLocation(input)).toEqual(expected);
  });
});
