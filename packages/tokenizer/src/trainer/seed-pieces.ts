// Seed vocabulary (Kudo 2018, §3.2: "the most frequent substrings … obtained with the Enhanced
// Suffix Array"), as SentencePiece's MakeSeedSentencePieces does it: every internal node of the
// suffix tree of the training text (a substring seen ≥ 2 times and followed by two different
// characters) that is a valid piece of ≥ 2 characters is scored by frequency × length, and the best
// of them join every single character (scored by its frequency) until seedSentencepieceSize pieces.
// Scores become log-probabilities.
//
// SentencePiece builds the suffix array over all sentences. Pieces never contain `▁` after their
// first character, so only the text of each word and the one character after it (`▁` or the end of
// the segment) matter: we build the suffix array over the DISTINCT (word, next character) pairs,
// weight every suffix by how often its pair occurs, and count a substring's frequency as the summed
// weight of its SA interval. Same nodes, same frequencies, but the array is as long as the distinct
// words (≈ 2.8M characters for the 33.6M-character Gutenberg corpus) instead of the whole corpus.

import type { UnigramTrainerOptions } from './options.js';
import { isValidPiece, SPACE_SYMBOL, UNK_CHAR } from './piece-rules.js';
import { forEachLcpInterval, permutedLcp, suffixArray } from './suffix-array.js';
import type { WordTable } from './words.js';

export interface ScoredPiece {
  piece: string;
  score: number;
}

type SeedOptions = Pick<
  UnigramTrainerOptions,
  | 'seedSentencepieceSize'
  | 'maxSentencepieceLength'
  | 'splitByWhitespace'
  | 'splitByUnicodeScript'
  | 'splitByNumber'
  | 'splitDigits'
>;

const SENTINEL = 0;
const BOUNDARY = 1;

export function makeSeedPieces(
  words: WordTable,
  requiredChars: ReadonlyMap<number, number>,
  o: SeedOptions,
): ScoredPiece[] {
  // Symbols: 0 sentinel, 1 end of segment, 2.. the word alphabet (dense id + 2). [n]
  const cpOf = new Int32Array(words.alphabet.size + 2);
  for (const [cp, id] of words.alphabet) cpOf[id + 2] = cp;
  const space = words.alphabet.get(SPACE_SYMBOL);
  const numWords = words.counts.length;
  let n = 1;
  for (let w = 0; w < numWords; w++) {
    const len = (words.offsets[w + 1] as number) - (words.offsets[w] as number);
    const end = words.endCounts[w] as number;
    if (end > 0) n += len + 1;
    if ((words.counts[w] as number) > end) n += len + 1;
  }
  const t = new Int32Array(n);
  const weightAt = new Float64Array(n); // weight of the (word, next) pair each position belongs to
  let pos = 0;
  const put = (w: number, next: number, weight: number) => {
    for (let k = words.offsets[w] as number; k < (words.offsets[w + 1] as number); k++) {
      weightAt[pos] = weight;
      t[pos++] = (words.chars[k] as number) + 2;
    }
    weightAt[pos] = weight;
    t[pos++] = next;
  };
  for (let w = 0; w < numWords; w++) {
    const end = words.endCounts[w] as number;
    const inner = (words.counts[w] as number) - end;
    if (inner > 0) put(w, space === undefined ? BOUNDARY : space + 2, inner);
    if (end > 0) put(w, BOUNDARY, end);
  }
  t[pos] = SENTINEL;

  const sa = suffixArray(t, cpOf.length);
  const plcp = permutedLcp(t, sa);
  // cumulative[i] = total weight of the suffixes SA[0..i).
  const cumulative = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cumulative[i + 1] = (cumulative[i] as number) + (weightAt[sa[i] as number] as number);

  // Candidates: start offset, length, score = frequency × length.
  let count = 0;
  let starts = new Int32Array(1 << 16);
  let lengths = new Uint8Array(1 << 16);
  let scores = new Float64Array(1 << 16);
  const cps = new Int32Array(o.maxSentencepieceLength);
  forEachLcpInterval(sa, plcp, (depth, lb, rb) => {
    if (depth <= 1 || depth > o.maxSentencepieceLength) return;
    const start = sa[lb] as number;
    for (let k = 0; k < depth; k++) {
      const id = t[start + k] as number;
      if (id <= BOUNDARY) return;
      cps[k] = cpOf[id] as number;
    }
    if (!isValidPiece(cps, 0, depth, o)) return;
    if (count === starts.length) {
      starts = grow(starts, new Int32Array(count * 2));
      lengths = grow(lengths, new Uint8Array(count * 2));
      scores = grow(scores, new Float64Array(count * 2));
    }
    starts[count] = start;
    lengths[count] = depth;
    scores[count] = ((cumulative[rb + 1] as number) - (cumulative[lb] as number)) * depth;
    count++;
  });

  const seeds: ScoredPiece[] = [];
  for (const [cp, freq] of [...requiredChars.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
    if (cp === UNK_CHAR || freq === 0) continue;
    seeds.push({ piece: String.fromCodePoint(cp), score: freq });
  }
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  for (let k = 0; k < count && seeds.length < o.seedSentencepieceSize; k++) {
    const i = order[k] as number;
    const start = starts[i] as number;
    let piece = '';
    for (let j = 0; j < (lengths[i] as number); j++)
      piece += String.fromCodePoint(cpOf[t[start + j] as number] as number);
    seeds.push({ piece, score: scores[i] as number });
  }

  let sum = 0;
  for (const s of seeds) sum += s.score;
  const logSum = Math.log(sum);
  for (const s of seeds) s.score = Math.log(s.score) - logSum;
  return seeds;
}

function grow<T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
