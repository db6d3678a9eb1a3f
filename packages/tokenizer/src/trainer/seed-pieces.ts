// Seed vocabulary (Kudo 2018, §3.2: "the most frequent substrings … obtained with the Enhanced
// Suffix Array"), as SentencePiece's MakeSeedSentencePieces does it: all segments are concatenated
// with a boundary mark, every internal node of the suffix tree (a substring seen ≥ 2 times and
// followed by two different characters) that is a valid piece of ≥ 2 characters is scored by
// frequency × length, and the best of them join every single character (scored by its frequency)
// until seedSentencepieceSize pieces. Scores become log-probabilities.

import type { TrainerOptions } from './options.js';
import { isValidPiece, UNK_CHAR } from './piece-rules.js';
import { forEachLcpInterval, permutedLcp, suffixArray } from './suffix-array.js';

export interface ScoredPiece {
  piece: string;
  score: number;
}

type SeedOptions = Pick<
  TrainerOptions,
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
  segments: readonly string[],
  requiredChars: ReadonlyMap<number, number>,
  o: SeedOptions,
): ScoredPiece[] {
  // Dense symbol ids: 0 sentinel, 1 boundary, 2.. characters. [n + 1]
  const idOf = new Map<number, number>();
  const cpOf: number[] = [SENTINEL, BOUNDARY];
  let n = 1;
  for (const seg of segments) n += seg.length + 1; // UTF-16 length ≥ code points: an upper bound
  const text = new Int32Array(n);
  let pos = 0;
  for (const seg of segments) {
    for (const ch of seg) {
      const cp = ch.codePointAt(0) as number;
      let id = idOf.get(cp);
      if (id === undefined) {
        id = cpOf.length;
        idOf.set(cp, id);
        cpOf.push(cp);
      }
      text[pos++] = id;
    }
    text[pos++] = BOUNDARY;
  }
  text[pos++] = SENTINEL;
  const t = pos < n ? text.slice(0, pos) : text;

  const sa = suffixArray(t, cpOf.length);
  const plcp = permutedLcp(t, sa);

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
    scores[count] = (rb - lb + 1) * depth;
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
