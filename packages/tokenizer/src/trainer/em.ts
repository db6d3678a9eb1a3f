// The three steps of unigram training (Kudo 2018, §3.2; SentencePiece's unigram_model_trainer):
//  - E-step: expected count of every piece over all words (forward–backward on each word lattice).
//  - M-step: drop pieces expected less than 0.5 times, then score = ψ(count) − ψ(Σ counts), the
//    Bayesian (variational, Dirichlet-process-like) update that favours a sparse vocabulary.
//  - Pruning: for every piece, the loss in likelihood if it were removed and its occurrences were
//    re-segmented by the best alternative without it; keep the pieces with the highest loss so that
//    shrinkingFactor of them remain (never fewer than the target size). Pieces whose own best
//    segmentation is not themselves, or that the Viterbi path never uses, go first.

import { digamma } from './digamma.js';
import type { PieceLattice } from './piece-lattice.js';
import type { ScoredPiece } from './seed-pieces.js';
import type { WordTable } from './words.js';

const EXPECTED_FREQUENCY_THRESHOLD = 0.5;

export interface EStepResult {
  expected: Float64Array;
  /** Negative log-likelihood per word occurrence. */
  objective: number;
  /** Tokens on the Viterbi paths of the distinct words. */
  numTokens: number;
}

/** One slice of the E-step: words [from, to). */
export interface EStepPart {
  expected: Float64Array;
  /** Σ count × log-likelihood over the words. */
  logLikelihood: number;
  numTokens: number;
}

export function eStepRange(model: PieceLattice, words: WordTable, from: number, to: number): EStepPart {
  const expected = new Float64Array(model.size);
  let logLikelihood = 0;
  let numTokens = 0;
  for (let w = from; w < to; w++) {
    const start = words.offsets[w] as number;
    const len = (words.offsets[w + 1] as number) - start;
    const freq = words.counts[w] as number;
    model.build(words.chars, start, start + len);
    logLikelihood += model.accumulateMarginals(len, freq, expected) * freq;
    numTokens += model.viterbiTokens;
  }
  return { expected, logLikelihood, numTokens };
}

/** Sums the parts of an E-step. */
export function mergeEStep(parts: readonly EStepPart[], words: WordTable): EStepResult {
  const first = parts[0] as EStepPart;
  const expected = first.expected;
  let logLikelihood = first.logLikelihood;
  let numTokens = first.numTokens;
  for (const part of parts.slice(1)) {
    for (let i = 0; i < expected.length; i++) expected[i] = (expected[i] as number) + (part.expected[i] as number);
    logLikelihood += part.logLikelihood;
    numTokens += part.numTokens;
  }
  let allFreq = 0;
  for (const c of words.counts) allFreq += c;
  return { expected, objective: -logLikelihood / allFreq, numTokens };
}

/** How often each piece is on the words' Viterbi paths (word counts summed), and the words' total count. */
export interface ViterbiCounts {
  freq: Float64Array;
  total: number;
}

export function viterbiCounts(model: PieceLattice, words: WordTable, from: number, to: number): ViterbiCounts {
  const freq = new Float64Array(model.size);
  const path = new Int32Array(words.maxLength + 1);
  let total = 0;
  for (let w = from; w < to; w++) {
    const start = words.offsets[w] as number;
    const len = (words.offsets[w + 1] as number) - start;
    const count = words.counts[w] as number;
    model.build(words.chars, start, start + len);
    const n = model.viterbi(len, path);
    total += count;
    for (let k = 0; k < n; k++) {
      const id = model.nodeId[path[k] as number] as number;
      if (id >= 0) freq[id] = (freq[id] as number) + count;
    }
  }
  return { freq, total };
}

export function mergeViterbiCounts(parts: readonly ViterbiCounts[]): ViterbiCounts {
  const first = parts[0] as ViterbiCounts;
  let total = first.total;
  for (const part of parts.slice(1)) {
    for (let i = 0; i < first.freq.length; i++) first.freq[i] = (first.freq[i] as number) + (part.freq[i] as number);
    total += part.total;
  }
  return { freq: first.freq, total };
}

export function mStep(model: PieceLattice, expected: Float64Array): ScoredPiece[] {
  const kept: ScoredPiece[] = [];
  let sum = 0;
  for (let i = 0; i < model.size; i++) {
    const freq = expected[i] as number;
    if (freq < EXPECTED_FREQUENCY_THRESHOLD) continue;
    kept.push({ piece: model.pieces[i] as string, score: freq });
    sum += freq;
  }
  const logSum = digamma(sum);
  for (const p of kept) p.score = digamma(p.score) - logSum;
  return kept;
}

export function prune(
  model: PieceLattice,
  counts: ViterbiCounts,
  desiredSize: number,
  shrinkingFactor: number,
  legacyPruneLoss: boolean,
): ScoredPiece[] {
  const size = model.size;
  // 1. How would each piece be segmented without itself?
  const alwaysKeep = new Uint8Array(size).fill(1);
  const alternatives: (Int32Array | null)[] = new Array(size).fill(null);
  let path = new Int32Array(64);
  for (let i = 0; i < size; i++) {
    const cps = model.encodeChars(model.pieces[i] as string);
    if (path.length <= cps.length) path = new Int32Array(cps.length * 2);
    model.build(cps, 0, cps.length);
    let self = -1;
    for (let k = 0; k < model.nodeCount; k++) {
      if (model.nodeId[k] === i && model.nodeStart[k] === 0 && model.nodeEnd[k] === cps.length) self = k;
    }
    const n = model.viterbi(cps.length, path, self);
    if (n < 0) continue; // no other segmentation: always keep
    if (model.bestScore > (model.scores[i] as number)) {
      alwaysKeep[i] = 0; // its own best segmentation is a split: safe to drop
    } else {
      alternatives[i] = Int32Array.from(path.subarray(0, n), (k) => model.nodeId[k] as number);
    }
  }

  // 2. Viterbi frequency of every piece over the words (computed by the caller, maybe in threads).
  const { freq, total: vsum } = counts;
  let sum = 0;
  for (const f of freq) sum += f;
  const logSum = Math.log(sum);

  // 3. The likelihood lost by removing each piece, approximated by moving its count to the pieces
  //    of its alternative segmentation.
  const kept: ScoredPiece[] = [];
  const candidates: { index: number; loss: number }[] = [];
  for (let i = 0; i < size; i++) {
    const f = freq[i] as number;
    if (f === 0 || alwaysKeep[i] === 0) continue;
    const alt = alternatives[i] ?? null;
    if (alt === null) {
      kept.push({ piece: model.pieces[i] as string, score: model.scores[i] as number });
      continue;
    }
    const share = f / vsum; // frequency of the words it appears in, per word
    const logProbSp = Math.log(f) - logSum;
    // New total after moving f to the alternatives: sum + f × (alternatives − 1). SentencePiece 0.1.97
    // multiplies by the vocabulary size instead of this piece's alternatives (google/sentencepiece#628);
    // legacyPruneLoss reproduces that.
    const logSumAlt = Math.log(sum + f * ((legacyPruneLoss ? size : alt.length) - 1));
    let logProbAlt = 0;
    for (const id of alt) logProbAlt += Math.log((id >= 0 ? (freq[id] as number) : 0) + f) - logSumAlt;
    candidates.push({ index: i, loss: share * (logProbSp - logProbAlt) });
  }
  const prunedSize = Math.max(desiredSize, Math.floor(shrinkingFactor * size));
  candidates.sort((a, b) => b.loss - a.loss || a.index - b.index);
  for (const c of candidates) {
    if (kept.length >= prunedSize) break;
    kept.push({ piece: model.pieces[c.index] as string, score: model.scores[c.index] as number });
  }
  return kept;
}

/**
 * The final pieces: every required character (with the model's score, or just below the lowest score
 * when EM dropped it, rarer characters lower), then the best-scored pieces up to `size`, sorted by
 * score (then text).
 */
export function finalizePieces(
  model: PieceLattice,
  requiredChars: ReadonlyMap<number, number>,
  size: number,
  exclude: ReadonlySet<string>,
): ScoredPiece[] {
  const scoreOf = new Map<string, number>();
  for (let i = 0; i < model.size; i++) scoreOf.set(model.pieces[i] as string, model.scores[i] as number);
  const final = new Map<string, number>();
  let penalty = 0;
  for (const [cp] of [...requiredChars.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
    const ch = String.fromCodePoint(cp);
    if (exclude.has(ch)) continue;
    const s = scoreOf.get(ch);
    if (s !== undefined) final.set(ch, s);
    else {
      final.set(ch, model.minScore - penalty);
      penalty += 0.0001;
    }
  }
  const byScore = [...scoreOf.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  for (const [piece, score] of byScore) {
    if (final.size >= size) break;
    if (final.has(piece) || exclude.has(piece)) continue;
    final.set(piece, score);
  }
  return [...final.entries()]
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
    .map(([piece, score]) => ({ piece, score }));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
