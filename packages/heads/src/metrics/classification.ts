// Classification metrics as scikit-learn 1.2 computes them (accuracy_score, precision_recall_fscore_support,
// f1_score, matthews_corrcoef), on integer class ids. Undefined ratios (0/0) are 0, as sklearn's
// default zero_division="warn" returns them; the degenerate cases return what sklearn returns:
//   accuracy of nothing: NaN; F1 binary/micro of nothing: 0; macro of nothing: NaN;
//   MCC with a constant truth or prediction (or nothing): 0.
// sklearn raises where we throw TaskInputError: different lengths, non-integer labels, average
// 'binary' with more than two classes, or with two classes of which none is posLabel.

import { TaskInputError } from '../data/errors.js';

export type Average = 'binary' | 'micro' | 'macro' | 'weighted';

export type PrecisionRecallF1 = { precision: number; recall: number; f1: number };

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): void {
  if (yTrue.length !== yPred.length) {
    throw new TaskInputError(`${what}: ${yTrue.length} true labels but ${yPred.length} predictions`);
  }
  for (const y of [yTrue, yPred]) {
    for (let i = 0; i < y.length; i++) {
      if (!Number.isInteger(y[i])) {
        throw new TaskInputError(
          `${what}: labels must be integer class ids, got ${y[i]} at ${i} (sklearn: "continuous is not supported")`,
        );
      }
    }
  }
}

/** Fraction of predictions equal to the truth (NaN when there are none, as sklearn). */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'accuracy');
  let right = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) right++;
  return right / yTrue.length;
}

/** sklearn precision_recall_fscore_support with an average; `posLabel` (default 1) for 'binary'. */
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: { average?: Average; posLabel?: number } = {},
): PrecisionRecallF1 {
  const average = options.average ?? 'binary';
  const posLabel = options.posLabel ?? 1;
  check(yTrue, yPred, 'precisionRecallF1');
  const present = [...new Set([...Array.from(yTrue), ...Array.from(yPred)])].sort((a, b) => a - b);
  let labels = present;
  if (average === 'binary') {
    if (present.length > 2) {
      throw new TaskInputError(
        `average 'binary' needs at most two classes, the data has ${present.length} (${present.join(', ')}); use 'micro', 'macro' or 'weighted'`,
      );
    }
    if (!present.includes(posLabel) && present.length >= 2) {
      throw new TaskInputError(`posLabel ${posLabel} is not one of the classes ${present.join(', ')}`);
    }
    labels = [posLabel];
  } else if (average !== 'micro' && average !== 'macro' && average !== 'weighted') {
    throw new TaskInputError(`unknown average ${JSON.stringify(average)}; use binary, micro, macro or weighted`);
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  const tp = new Float64Array(labels.length);
  const predSum = new Float64Array(labels.length);
  const trueSum = new Float64Array(labels.length);
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i] as number);
    const p = index.get(yPred[i] as number);
    if (t !== undefined) trueSum[t] = (trueSum[t] as number) + 1;
    if (p !== undefined) predSum[p] = (predSum[p] as number) + 1;
    if (t !== undefined && t === p) tp[t] = (tp[t] as number) + 1;
  }
  const prf = (tpS: number, predS: number, trueS: number): PrecisionRecallF1 => {
    const precision = predS === 0 ? 0 : tpS / predS;
    const recall = trueS === 0 ? 0 : tpS / trueS;
    const denom = precision + recall;
    return { precision, recall, f1: (2 * precision * recall) / (denom === 0 ? 1 : denom) };
  };
  if (average === 'micro') return prf(sum(tp), sum(predSum), sum(trueSum));
  const per = labels.map((_, k) => prf(tp[k] as number, predSum[k] as number, trueSum[k] as number));
  if (average === 'binary') return per[0] as PrecisionRecallF1;
  if (average === 'weighted') {
    const total = sum(trueSum);
    if (total === 0) return { precision: 0, recall: 0, f1: 0 }; // sklearn with zero_division 0
    const w = (pick: (x: PrecisionRecallF1) => number) => {
      let s = 0;
      per.forEach((x, k) => {
        s += pick(x) * (trueSum[k] as number);
      });
      return s / total;
    };
    return { precision: w((x) => x.precision), recall: w((x) => x.recall), f1: w((x) => x.f1) };
  }
  const mean = (pick: (x: PrecisionRecallF1) => number) => sum(per.map(pick)) / per.length;
  return { precision: mean((x) => x.precision), recall: mean((x) => x.recall), f1: mean((x) => x.f1) };
}

/** sklearn f1_score. */
export function f1Score(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: { average?: Average; posLabel?: number } = {},
): number {
  return precisionRecallF1(yTrue, yPred, options).f1;
}

/** sklearn matthews_corrcoef (the multiclass form, Gorodkin 2004); 0 when undefined. */
export function matthewsCorrcoef(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'matthewsCorrcoef');
  const t = new Map<number, number>();
  const p = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const a = yTrue[i] as number;
    const b = yPred[i] as number;
    t.set(a, (t.get(a) ?? 0) + 1);
    p.set(b, (p.get(b) ?? 0) + 1);
    if (a === b) correct++;
  }
  const n = yTrue.length;
  let tp = 0;
  for (const [label, count] of t) tp += count * (p.get(label) ?? 0);
  let pp = 0;
  for (const count of p.values()) pp += count * count;
  let tt = 0;
  for (const count of t.values()) tt += count * count;
  const covYtYp = correct * n - tp;
  const covYpYp = n * n - pp;
  const covYtYt = n * n - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}
