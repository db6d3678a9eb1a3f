// ALBERT's n-gram masked-LM predictions, following google-research/albert
// `create_pretraining_data.py` (`create_masked_lm_predictions`) rule for rule:
//
// 1. Candidates are whole words: every non-special position either starts a new word (its
//    word-start flag is 1, or whole-word masking is off) or joins the previous word. As in the
//    original, the word list is not reset at [SEP], so a continuation piece right after a [SEP]
//    joins the last word before it.
// 2. Budget: num_to_predict = min(max_predictions_per_seq, max(1, round(len * masked_lm_prob))),
//    where len counts every real token including [CLS]/[SEP], and round is Python's half-to-even.
// 3. The word indices are shuffled. For each in turn (until the budget is used up), an n-gram
//    length n in 1..ngram is drawn with p(n) ∝ 1/n (6/11, 3/11, 2/11 for ngram 3; reversed when
//    favour_shorter_ngram is off). The span is words [idx, idx+n), cut at the last word.
//    While the span has more tokens than the budget left, n shrinks by one; if even one word is
//    too many, or any token of the span is already covered, the candidate is skipped.
// 4. Each token of an accepted span: 80% [MASK], else half the time kept, else a uniformly
//    random id from the whole vocabulary (as `vocab_words[randint(0, len-1)]`).
//
// The original draws n with numpy's global generator and the rest with `random.Random`; here one
// seeded generator per sequence draws everything, so the result depends only on (ids, seed).
import { IGNORE_INDEX } from '@albert-ts/common';
import { PretrainingError } from '../errors.js';
import { type RandomGenerator, randomFloat, randomInt, shuffleInPlace } from '../random/seeded-rng.js';
import { roundHalfEven } from './round-half-even.js';

export interface MaskingOptions {
  /** Id of [MASK] (4 in ALBERT's vocabulary). */
  maskTokenId: number;
  /** Vocabulary size; random replacements are drawn from [0, vocabSize). */
  vocabSize: number;
  /** Ids that are never masked and never part of a word ([CLS], [SEP], <pad>). */
  specialIds: readonly number[];
  /** Default 0.15. */
  maskedLmProb?: number;
  /** Default 20. */
  maxPredictionsPerSeq?: number;
  /** Longest n-gram, default 3. */
  ngram?: number;
  /** p(n) ∝ 1/n when true (default), ∝ 1/(ngram+1-n) when false. */
  favorShorterNgram?: boolean;
  /** Mask whole words (default true); when false every piece is its own word. */
  wholeWordMask?: boolean;
  /** Also return the accepted spans (for statistics). Default false. */
  recordSpans?: boolean;
  /** Counters to add this sequence's draws to (for statistics); see `newMaskingStats`. */
  stats?: MaskingStats;
}

/** What happened to every n-gram draw, summed over sequences. Index n-1 holds n. */
export interface MaskingStats {
  /** Draws of n (one per candidate visited before the budget ran out). */
  drawn: number[];
  /** Draws whose span was cut short by the end of the sequence (fewer than n words left). */
  cutAtEnd: number;
  /** Draws shrunk to fewer words to fit the budget. */
  shrunk: number;
  /** Draws skipped because even one word exceeded the budget. */
  skippedBudget: number;
  /** Draws skipped because a token was already covered. */
  skippedCovered: number;
  /** Accepted spans by their final length in words. */
  acceptedWords: number[];
  /** Accepted spans whose final length equals the n drawn (no cut, no shrink), by n. */
  acceptedAsDrawn: number[];
}

export function newMaskingStats(ngram = 3): MaskingStats {
  return {
    drawn: new Array<number>(ngram).fill(0),
    cutAtEnd: 0,
    shrunk: 0,
    skippedBudget: 0,
    skippedCovered: 0,
    acceptedWords: new Array<number>(ngram).fill(0),
    acceptedAsDrawn: new Array<number>(ngram).fill(0),
  };
}

export interface MaskingInput {
  /** Token ids; only the first `length` are real (the rest, if any, is padding). */
  ids: Int32Array;
  /** 1 where a piece starts a word (see `wordStarts`); same length as ids. */
  wordStart: Uint8Array;
  /** Number of real tokens. Default ids.length. */
  length?: number;
}

export interface MaskedSpan {
  /** Position of the span's first token. */
  start: number;
  /** Words and tokens in the accepted span. */
  words: number;
  tokens: number;
  /** The n drawn from p(n) before the end-of-sequence cut and the budget shrink. */
  drawn: number;
}

export interface MaskedSequence {
  /** The ids with [MASK] / random / kept tokens in place; same length as the input ids. */
  inputIds: Int32Array;
  /** Masked positions, ascending. */
  positions: Int32Array;
  /** Original id at each masked position. */
  labels: Int32Array;
  /** What each masked position became: 0 [MASK], 1 random id, 2 kept. */
  decisions: Uint8Array;
  /** The budget num_to_predict. */
  budget: number;
  spans?: MaskedSpan[];
}

export const MaskDecision = { mask: 0, random: 1, keep: 2 } as const;

/** p(n) for n = 1..ngram, as cumulative thresholds. */
function ngramCdf(ngram: number, favorShorter: boolean): Float64Array {
  const p = new Float64Array(ngram);
  let sum = 0;
  for (let n = 1; n <= ngram; n++) sum += 1 / n;
  for (let i = 0; i < ngram; i++) p[i] = 1 / (favorShorter ? i + 1 : ngram - i) / sum;
  const cdf = new Float64Array(ngram);
  let acc = 0;
  for (let i = 0; i < ngram; i++) {
    acc += p[i] as number;
    cdf[i] = acc;
  }
  cdf[ngram - 1] = 1;
  return cdf;
}

const cdfCache = new Map<string, Float64Array>();

export function maskNgrams(input: MaskingInput, rng: RandomGenerator, options: MaskingOptions): MaskedSequence {
  const { ids, wordStart } = input;
  const length = input.length ?? ids.length;
  const prob = options.maskedLmProb ?? 0.15;
  const maxPredictions = options.maxPredictionsPerSeq ?? 20;
  const ngram = options.ngram ?? 3;
  const favorShorter = options.favorShorterNgram ?? true;
  const wholeWord = options.wholeWordMask ?? true;
  if (wordStart.length < length || length > ids.length) {
    throw new PretrainingError(
      `maskNgrams: ids has ${ids.length} entries, wordStart ${wordStart.length}, length ${length}; ` +
        'wordStart must flag every real token and length may not exceed ids.length.',
    );
  }
  if (!(ngram >= 1) || !(prob >= 0 && prob <= 1) || !(options.vocabSize > 0)) {
    throw new PretrainingError(
      `maskNgrams: ngram (${ngram}) must be >= 1, maskedLmProb (${prob}) in [0, 1], vocabSize (${options.vocabSize}) > 0.`,
    );
  }
  const special = new Set(options.specialIds);

  // Words as runs of a flat list of candidate positions: word w = flat[wordOff[w] .. wordOff[w+1]).
  const flat = new Int32Array(length);
  const wordOff = new Int32Array(length + 1);
  let numFlat = 0;
  let numWords = 0;
  for (let i = 0; i < length; i++) {
    if (special.has(ids[i] as number)) continue;
    if (!wholeWord || numWords === 0 || wordStart[i] === 1) wordOff[numWords++] = numFlat;
    flat[numFlat++] = i;
  }
  wordOff[numWords] = numFlat;

  const inputIds = ids.slice();
  const budget = Math.min(maxPredictions, Math.max(1, roundHalfEven(length * prob)));
  const spans: MaskedSpan[] | undefined = options.recordSpans ? [] : undefined;
  if (prob === 0 || numWords === 0) {
    return {
      inputIds,
      positions: new Int32Array(0),
      labels: new Int32Array(0),
      decisions: new Uint8Array(0),
      budget,
      spans,
    };
  }

  const key = `${ngram}:${favorShorter}`;
  let cdf = cdfCache.get(key);
  if (cdf == null) {
    cdf = ngramCdf(ngram, favorShorter);
    cdfCache.set(key, cdf);
  }

  const order = new Int32Array(numWords);
  for (let w = 0; w < numWords; w++) order[w] = w;
  shuffleInPlace(rng, order);

  const covered = new Uint8Array(length);
  const decision = new Uint8Array(length);
  let masked = 0;
  for (let o = 0; o < numWords; o++) {
    if (masked >= budget) break;
    const idx = order[o] as number;
    const u = randomFloat(rng);
    let n = 1;
    while (n < ngram && u >= (cdf[n - 1] as number)) n++;
    const drawn = n;
    const stats = options.stats;
    if (stats != null) {
      (stats.drawn[n - 1] as number)++;
      if (idx + n > numWords) stats.cutAtEnd++;
    }
    const first = wordOff[idx] as number;
    let end = wordOff[Math.min(idx + n, numWords)] as number;
    while (masked + (end - first) > budget && n > 1) {
      n--;
      end = wordOff[Math.min(idx + n, numWords)] as number;
    }
    if (masked + (end - first) > budget) {
      if (stats != null) stats.skippedBudget++;
      continue;
    }
    if (stats != null && n !== drawn) stats.shrunk++;
    let anyCovered = false;
    for (let f = first; f < end; f++) {
      if (covered[flat[f] as number] === 1) {
        anyCovered = true;
        break;
      }
    }
    if (anyCovered) {
      if (stats != null) stats.skippedCovered++;
      continue;
    }
    const words = Math.min(idx + n, numWords) - idx;
    if (stats != null) {
      (stats.acceptedWords[words - 1] as number)++;
      if (words === drawn) (stats.acceptedAsDrawn[words - 1] as number)++;
    }
    for (let f = first; f < end; f++) {
      const pos = flat[f] as number;
      covered[pos] = 1;
      if (randomFloat(rng) < 0.8) {
        inputIds[pos] = options.maskTokenId;
        decision[pos] = MaskDecision.mask;
      } else if (randomFloat(rng) < 0.5) {
        decision[pos] = MaskDecision.keep;
      } else {
        inputIds[pos] = randomInt(rng, 0, options.vocabSize - 1);
        decision[pos] = MaskDecision.random;
      }
    }
    masked += end - first;
    spans?.push({ start: flat[first] as number, words, tokens: end - first, drawn });
  }

  const positions = new Int32Array(masked);
  const labels = new Int32Array(masked);
  const decisions = new Uint8Array(masked);
  for (let i = 0, k = 0; i < length; i++) {
    if (covered[i] !== 1) continue;
    positions[k] = i;
    labels[k] = ids[i] as number;
    decisions[k] = decision[i] as number;
    k++;
  }
  return { inputIds, positions, labels, decisions, budget, spans };
}

/** MLM labels for a model: the original id at masked positions, IGNORE_INDEX (-100) everywhere else. */
export function mlmLabels(masked: MaskedSequence, seqLength: number): Int32Array {
  const labels = new Int32Array(seqLength).fill(IGNORE_INDEX);
  for (let k = 0; k < masked.positions.length; k++) labels[masked.positions[k] as number] = masked.labels[k] as number;
  return labels;
}
