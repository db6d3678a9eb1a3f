// The EM runs over distinct words with their counts, not over sentences: SentencePiece splits each
// normalized sentence before every `▁` (split_by_whitespace), so `▁hello▁world` gives `▁hello` and
// `▁world`. Words are stored as one code-point array with offsets, sorted by count (most frequent
// first, then by text) like SentencePiece's Sorted().

import { SPACE_SYMBOL } from './piece-rules.js';

export interface WordTable {
  /** Code points of all words, back to back. */
  cps: Int32Array;
  /** Word w is cps[offsets[w], offsets[w + 1]). */
  offsets: Int32Array;
  counts: Float64Array;
  /** Length of the longest word, in code points. */
  maxLength: number;
}

export function splitIntoWords(text: string, splitByWhitespace: boolean): string[] {
  if (!splitByWhitespace) return text.length > 0 ? [text] : [];
  const words: string[] = [];
  let start = 0;
  for (let i = 1; i < text.length; i++) {
    if (text.charCodeAt(i) === SPACE_SYMBOL) {
      words.push(text.slice(start, i));
      start = i;
    }
  }
  if (start < text.length) words.push(text.slice(start));
  return words;
}

export function buildWordTable(segments: readonly string[], splitByWhitespace: boolean): WordTable {
  const counts = new Map<string, number>();
  for (const seg of segments) {
    for (const w of splitIntoWords(seg, splitByWhitespace)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let total = 0;
  for (const [w] of sorted) total += w.length;
  const cps = new Int32Array(total);
  const offsets = new Int32Array(sorted.length + 1);
  const wordCounts = new Float64Array(sorted.length);
  let pos = 0;
  let maxLength = 0;
  for (let i = 0; i < sorted.length; i++) {
    const [w, c] = sorted[i] as [string, number];
    offsets[i] = pos;
    for (const ch of w) cps[pos++] = ch.codePointAt(0) as number;
    maxLength = Math.max(maxLength, pos - (offsets[i] as number));
    wordCounts[i] = c;
  }
  offsets[sorted.length] = pos;
  return { cps: pos < total ? cps.slice(0, pos) : cps, offsets, counts: wordCounts, maxLength };
}
