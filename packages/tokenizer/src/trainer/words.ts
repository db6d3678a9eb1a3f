// The EM runs over distinct words with their counts, not over sentences: SentencePiece splits each
// normalized sentence before every `▁` (split_by_whitespace), so `▁hello▁world` gives `▁hello` and
// `▁world`. Words are stored as one code-point array with offsets, sorted by count (most frequent
// first, then by text) like SentencePiece's Sorted().

import { SPACE_SYMBOL } from './piece-rules.js';

export interface WordTable {
  /** Characters of all words back to back, as dense ids (see alphabet). */
  chars: Int32Array;
  /** Code point → dense character id. */
  alphabet: Map<number, number>;
  /** Word w is chars[offsets[w], offsets[w + 1]). */
  offsets: Int32Array;
  counts: Float64Array;
  /** How many of those occurrences end a text segment (the others are followed by `▁`). */
  endCounts: Float64Array;
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

export function buildWordTable(
  segments: readonly string[],
  splitByWhitespace: boolean,
  extraChars: Iterable<number> = [],
): WordTable {
  const alphabet = new Map<number, number>();
  for (const cp of extraChars) if (!alphabet.has(cp)) alphabet.set(cp, alphabet.size);
  const counts = new Map<string, number>();
  const ends = new Map<string, number>();
  for (const seg of segments) {
    const words = splitIntoWords(seg, splitByWhitespace);
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    const last = words[words.length - 1];
    if (last !== undefined) ends.set(last, (ends.get(last) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let total = 0;
  for (const [w] of sorted) total += w.length;
  const cps = new Int32Array(total);
  const offsets = new Int32Array(sorted.length + 1);
  const wordCounts = new Float64Array(sorted.length);
  const endCounts = new Float64Array(sorted.length);
  let pos = 0;
  let maxLength = 0;
  for (let i = 0; i < sorted.length; i++) {
    const [w, c] = sorted[i] as [string, number];
    offsets[i] = pos;
    for (const ch of w) {
      const cp = ch.codePointAt(0) as number;
      let id = alphabet.get(cp);
      if (id === undefined) alphabet.set(cp, (id = alphabet.size));
      cps[pos++] = id;
    }
    maxLength = Math.max(maxLength, pos - (offsets[i] as number));
    wordCounts[i] = c;
    endCounts[i] = ends.get(w) ?? 0;
  }
  offsets[sorted.length] = pos;
  return { chars: pos < total ? cps.slice(0, pos) : cps, alphabet, offsets, counts: wordCounts, endCounts, maxLength };
}
