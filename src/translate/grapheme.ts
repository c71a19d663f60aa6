// Cutting text to a length limit without splitting a user-perceived character (emoji sequences,
// Hangul jamo clusters, combining marks). Lengths are UTF-16 code units, as the Kakao API (Java)
// counts them, so a cut text never exceeds the limit however the server counts.

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` unchanged if within `max`; else the longest grapheme-aligned prefix of at most `max` units. */
export function cutGraphemes(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  let end = 0;
  for (const { segment, index } of segmenter.segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return { text: text.slice(0, end), cut: true };
}
