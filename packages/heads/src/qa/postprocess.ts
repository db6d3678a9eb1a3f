// Start/end logits of every window -> one answer per example, by the rules of Hugging Face's
// postprocess_qa_predictions (examples/pytorch/question-answering/utils_qa.py):
//  - per window: the nBestSize largest start logits × the nBestSize largest end logits (over all
//    positions of the row, padding and question included); a pair is kept when both tokens are in
//    the context, end ≥ start and end − start + 1 ≤ maxAnswerLength; score = start + end logit;
//  - SQuAD v2: the null answer is [CLS] of the window whose start + end logit at 0 is LOWEST (the
//    first such window on ties); it joins the candidates;
//  - candidates sorted by score, highest first, equal scores in the order they were found (window,
//    then start rank, then end rank: a stable sort); the first nBestSize kept; v2: the null answer
//    appended when it fell off;
//  - text = context.slice(start char of the start token, end char of the end token);
//  - no candidate at all, or only the null answer: an "empty" candidate with score 0 is put first;
//  - probability = softmax of the scores over that list;
//  - v1: the answer is the first candidate; v2: the first candidate with non-empty text, unless
//    null score − its start logit − its end logit > nullScoreDiffThreshold, then the null answer.
// Float32Array logits are added in float32, as numpy adds float32 logits; other arrays in float64.

import { TaskInputError } from '../data/errors.js';
import { topK } from './top-k.js';

export type QaCandidate = {
  /** 'span' from the context, 'null' (SQuAD v2 no-answer: text ''), or HF's 'empty' placeholder */
  kind: 'span' | 'null' | 'empty';
  /** the exact substring context.slice(start, end); '' for null; 'empty' for the placeholder */
  text: string;
  /** character offsets in the context; 0, 0 for null and the placeholder */
  start: number;
  end: number;
  startLogit: number;
  endLogit: number;
  /** startLogit + endLogit */
  score: number;
  /** softmax of the scores over the n-best list */
  probability: number;
};

export type QaPrediction = {
  /** the example's id, when the examples had one */
  id?: string;
  kind: QaCandidate['kind'];
  text: string;
  start: number;
  end: number;
  probability: number;
  /** SQuAD v2: null score − best non-null start logit − end logit (HF's null_odds); null in v1 */
  nullScoreDiff: number | null;
  /** the n-best candidates, best first (with returnNbest) */
  nbest?: QaCandidate[];
};

export type QaPostprocessOptions = {
  /** SQuAD v2: the null answer competes (default false) */
  versionTwoWithNegative?: boolean;
  /** start and end logits considered per window, and candidates kept (default 20) */
  nBestSize?: number;
  /** longest answer in tokens (default 30) */
  maxAnswerLength?: number;
  /** v2: predict no answer when null score − best score > this (default 0) */
  nullScoreDiffThreshold?: number;
  /** add each example's n-best list (default false) */
  returnNbest?: boolean;
};

type Logits = readonly ArrayLike<number>[] | Float32Array;

/**
 * One prediction per example. `features[i].exampleIndex` says which example window i belongs to,
 * `features[i].offsets` maps its tokens to context characters (-1 outside the context), as
 * squadFeatures makes them. Logits: one row per feature, or one flat Float32Array [features × seq].
 */
export function postprocessQaPredictions(
  examples: readonly { context: string; id?: string }[],
  features: readonly { exampleIndex: number; offsets: Int32Array }[],
  startLogits: Logits,
  endLogits: Logits,
  options: QaPostprocessOptions = {},
): QaPrediction[] {
  const v2 = options.versionTwoWithNegative ?? false;
  const nBest = options.nBestSize ?? 20;
  const maxLen = options.maxAnswerLength ?? 30;
  const threshold = options.nullScoreDiffThreshold ?? 0;
  if (!Number.isInteger(nBest) || nBest < 1)
    throw new TaskInputError(`nBestSize must be a positive integer, got ${nBest}`);
  const starts = rows(startLogits, features.length, 'start');
  const ends = rows(endLogits, features.length, 'end');
  // numpy adds float32 logits in float32
  const f32 = [...starts, ...ends].every((r) => r instanceof Float32Array);
  const add = (a: number, b: number) => (f32 ? Math.fround(a + b) : a + b);
  const sub = (a: number, b: number) => (f32 ? Math.fround(a - b) : a - b);
  const byExample: number[][] = examples.map(() => []);
  features.forEach((f, i) => {
    const list = byExample[f.exampleIndex];
    if (list === undefined) {
      throw new TaskInputError(`feature ${i} points at example ${f.exampleIndex}, but there are ${examples.length}`);
    }
    list.push(i);
  });

  return examples.map((example, n): QaPrediction => {
    const candidates: QaCandidate[] = [];
    let nullCandidate: QaCandidate | null = null;
    for (const i of byExample[n] as number[]) {
      const s = starts[i] as ArrayLike<number>;
      const e = ends[i] as ArrayLike<number>;
      const offsets = (features[i] as { offsets: Int32Array }).offsets;
      const tokens = offsets.length / 2;
      const nullScore = add(s[0] as number, e[0] as number);
      if (Number.isNaN(nullScore)) throw new TaskInputError(`feature ${i}: the logits hold NaN`);
      if (nullCandidate === null || nullCandidate.score > nullScore) {
        nullCandidate = span('null', '', 0, 0, s[0] as number, e[0] as number, nullScore);
      }
      const topStarts = topK(s, nBest);
      const topEnds = topK(e, nBest);
      for (const a of topStarts) {
        for (const b of topEnds) {
          if (a >= tokens || b >= tokens || (offsets[2 * a] as number) < 0 || (offsets[2 * b] as number) < 0) continue;
          if (b < a || b - a + 1 > maxLen) continue;
          const from = offsets[2 * a] as number;
          const to = offsets[2 * b + 1] as number;
          const score = add(s[a] as number, e[b] as number);
          if (Number.isNaN(score)) throw new TaskInputError(`feature ${i}: the logits hold NaN`);
          candidates.push(
            span('span', example.context.slice(from, to), from, to, s[a] as number, e[b] as number, score),
          );
        }
      }
    }
    if (v2 && nullCandidate !== null) candidates.push(nullCandidate);
    candidates.sort((x, y) => y.score - x.score); // stable: equal scores keep their order
    const nbest = candidates.slice(0, nBest);
    // HF asks "is a candidate at offsets (0, 0) there?" — the null answer, or a span that is empty at 0
    if (v2 && nullCandidate !== null && !nbest.some((c) => c.start === 0 && c.end === 0)) nbest.push(nullCandidate);
    if (nbest.length === 0 || (nbest.length === 1 && nbest[0]?.text === '')) {
      nbest.unshift(span('empty', 'empty', 0, 0, 0, 0, 0));
    }
    softmaxInto(nbest);

    let best = nbest[0] as QaCandidate;
    let nullScoreDiff: number | null = null;
    if (v2 && nullCandidate !== null) {
      const nonNull = nbest.find((c) => c.text !== '');
      const nul = nullCandidate;
      if (nonNull === undefined)
        best = nul; // HF raises IndexError here
      else {
        nullScoreDiff = sub(sub(nul.score, nonNull.startLogit), nonNull.endLogit);
        best = nullScoreDiff > threshold ? nul : nonNull;
      }
    }
    const out: QaPrediction = {
      kind: best.kind,
      text: best.text,
      start: best.start,
      end: best.end,
      probability: best.probability,
      nullScoreDiff,
    };
    if (example.id !== undefined) out.id = example.id;
    if (options.returnNbest) out.nbest = nbest;
    return out;
  });
}

function span(
  kind: QaCandidate['kind'],
  text: string,
  start: number,
  end: number,
  startLogit: number,
  endLogit: number,
  score: number,
): QaCandidate {
  return { kind, text, start, end, startLogit, endLogit, score, probability: 0 };
}

function rows(logits: Logits, count: number, which: string): ArrayLike<number>[] {
  if (logits instanceof Float32Array) {
    if (count === 0 || logits.length % count !== 0) {
      throw new TaskInputError(`${which} logits: ${logits.length} values do not split into ${count} feature rows`);
    }
    const width = logits.length / count;
    return Array.from({ length: count }, (_, i) => logits.subarray(i * width, (i + 1) * width));
  }
  if (logits.length !== count) {
    throw new TaskInputError(`${which} logits: ${logits.length} rows for ${count} features; give one row per feature`);
  }
  return [...logits];
}

/** probability = exp(score − max) / Σ exp(score − max) over the list. */
function softmaxInto(list: QaCandidate[]): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const c of list) max = Math.max(max, c.score);
  let sum = 0;
  for (const c of list) sum += Math.exp(c.score - max);
  for (const c of list) c.probability = Math.exp(c.score - max) / sum;
}
