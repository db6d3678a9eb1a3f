// The EM runs over distinct words with their counts, not over sentences: SentencePiece splits each
// normalized sentence before every `▁` (split_by_whitespace), so `▁hello▁world` gives `▁hello` and
// `▁world`. Words are stored as one code-point array with offsets, sorted by count (most frequent
// first, then by text) like SentencePiece's Sorted().

import { SPACE_SYMBOL } from './piece-rules.js';
import type { WordCounts } from './prepare.js';

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

/** Packs counted words, most frequent first (then by text), as dense character ids. */
export function buildWordTable(counted: WordCounts, extraChars: Iterable<number> = []): WordTable {
  const alphabet = new Map<number, number>();
  for (const cp of extraChars) if (!alphabet.has(cp)) alphabet.set(cp, alphabet.size);
  const { words, counts, endCounts: ends } = counted;
  const order = Array.from(words.keys()).sort((a, b) => {
    const d = (counts[b] as number) - (counts[a] as number);
    if (d !== 0) return d;
    const x = words[a] as string;
    const y = words[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  let total = 0;
  for (const w of words) total += w.length;
  const cps = new Int32Array(total);
  const offsets = new Int32Array(order.length + 1);
  const wordCounts = new Float64Array(order.length);
  const endCounts = new Float64Array(order.length);
  let pos = 0;
  let maxLength = 0;
  for (let i = 0; i < order.length; i++) {
    const w = order[i] as number;
    offsets[i] = pos;
    for (const ch of words[w] as string) {
      const cp = ch.codePointAt(0) as number;
      let id = alphabet.get(cp);
      if (id === undefined) alphabet.set(cp, (id = alphabet.size));
      cps[pos++] = id;
    }
    maxLength = Math.max(maxLength, pos - (offsets[i] as number));
    wordCounts[i] = counts[w] as number;
    endCounts[i] = ends[w] as number;
  }
  offsets[order.length] = pos;
  return { chars: pos < total ? cps.slice(0, pos) : cps, alphabet, offsets, counts: wordCounts, endCounts, maxLength };
}
