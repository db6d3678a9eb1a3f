// The official SQuAD metrics (evaluate-v1.1.py, evaluate-v2.0.py), rule by rule as
// (the METRIC.md beside the project's SQuAD v1.1 reference data summarises them):
//  normalisation: lower-case; delete ASCII punctuation (Python's string.punctuation); replace the
//  whole words a/an/the (Python's Unicode \b) by a space; split on whitespace (Python's str.split())
//  and join with single spaces;
//  EM: normalised strings equal; F1: bag-of-tokens overlap; both maxed over the gold answers;
//  v1.1: every question counts, a missing prediction scores 0; results in percent;
//  v2.0: gold answers that normalise to '' are dropped (none left: the gold is ''), F1 of two empty
//  token lists is 1, no-answer probabilities with a threshold, HasAns/NoAns breakdowns and the best
//  thresholds (best_exact, best_f1).
// Output keys are the scripts' own, so the numbers compare one to one with their JSON.

import { TaskInputError } from '../data/errors.js';
import { isPythonSpace } from '../data/text.js';

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
// Python's re \b around a|an|the: a word character is a letter, a digit or '_' (Unicode)
const ARTICLES = /(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu;

/** The official normalize_answer. */
export function normalizeAnswer(s: string): string {
  let out = '';
  for (const ch of s.toLowerCase()) if (!PUNCTUATION.has(ch)) out += ch;
  return whitespaceTokens(out.replace(ARTICLES, ' ')).join(' ');
}

/** Python's str.split(): runs of whitespace separate, none at the ends. */
function whitespaceTokens(s: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const space = i === s.length || isPythonSpace(s.charCodeAt(i));
    if (space && start >= 0) {
      tokens.push(s.slice(start, i));
      start = -1;
    } else if (!space && start < 0) start = i;
  }
  return tokens;
}

/** Exact match of one prediction with one gold answer: 1 or 0. */
export function squadExactMatch(prediction: string, gold: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(gold) ? 1 : 0;
}

/** Token F1 of one prediction with one gold answer; `v2` scores two empty answers 1 (evaluate-v2.0.py). */
export function squadF1(prediction: string, gold: string, options: { v2?: boolean } = {}): number {
  const p = whitespaceTokens(normalizeAnswer(prediction));
  const g = whitespaceTokens(normalizeAnswer(gold));
  if (options.v2 && (p.length === 0 || g.length === 0)) return p.length === g.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** A question and its gold answers (SquadExample fits). */
export type SquadReference = { id: string; answers: readonly (string | { text: string })[] };

export type Predictions = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

const text = (a: string | { text: string }) => (typeof a === 'string' ? a : a.text);
const lookup = <T>(m: Readonly<Record<string, T>> | ReadonlyMap<string, T>, id: string): T | undefined =>
  m instanceof Map ? m.get(id) : Object.hasOwn(m, id) ? (m as Record<string, T>)[id] : undefined;

/** evaluate-v1.1.py: {exact_match, f1} in percent over every question; `missing` lists unpredicted ids. */
export function squadV1Metrics(
  references: readonly SquadReference[],
  predictions: Predictions,
): { exact_match: number; f1: number; total: number; missing: string[] } {
  let em = 0;
  let f1 = 0;
  const missing: string[] = [];
  for (const ref of references) {
    const pred = lookup(predictions, ref.id);
    if (pred === undefined) {
      missing.push(ref.id);
      continue;
    }
    const golds = ref.answers.map(text);
    if (golds.length === 0) {
      throw new TaskInputError(`question ${ref.id} has no gold answer; SQuAD v1.1 needs one (use squadV2Metrics)`);
    }
    em += Math.max(...golds.map((g) => squadExactMatch(pred, g)));
    f1 += Math.max(...golds.map((g) => squadF1(pred, g)));
  }
  const total = references.length;
  return { exact_match: (100 * em) / total, f1: (100 * f1) / total, total, missing };
}

export type SquadV2Result = {
  exact: number;
  f1: number;
  total: number;
  HasAns_exact?: number;
  HasAns_f1?: number;
  HasAns_total?: number;
  NoAns_exact?: number;
  NoAns_f1?: number;
  NoAns_total?: number;
  best_exact?: number;
  best_exact_thresh?: number;
  best_f1?: number;
  best_f1_thresh?: number;
};

/**
 * evaluate-v2.0.py. Every question needs a prediction ('' = no answer): the script fails on a
 * missing one, and so does this. With `naProbs` (the --na-prob-file: id -> probability of no
 * answer) a prediction counts as '' when its probability is above `naProbThresh` (default 1.0), and
 * the best thresholds are searched; give a Map to fix the order of equal probabilities (the script
 * keeps the file's order).
 */
export function squadV2Metrics(
  references: readonly SquadReference[],
  predictions: Predictions,
  options: { naProbs?: Readonly<Record<string, number>> | ReadonlyMap<string, number>; naProbThresh?: number } = {},
): SquadV2Result {
  const threshold = options.naProbThresh ?? 1.0;
  const hasAns = new Map<string, boolean>();
  const exactRaw = new Map<string, number>();
  const f1Raw = new Map<string, number>();
  for (const ref of references) {
    hasAns.set(ref.id, ref.answers.length > 0);
    const pred = lookup(predictions, ref.id);
    if (pred === undefined) {
      throw new TaskInputError(
        `no prediction for question ${ref.id}; evaluate-v2.0.py needs one for every question (predict '' for no answer)`,
      );
    }
    let golds = ref.answers.map(text).filter((g) => normalizeAnswer(g) !== '');
    if (golds.length === 0) golds = [''];
    exactRaw.set(ref.id, Math.max(...golds.map((g) => squadExactMatch(pred, g))));
    f1Raw.set(ref.id, Math.max(...golds.map((g) => squadF1(pred, g, { v2: true }))));
  }
  const naProbs = options.naProbs;
  const naProb = (id: string): number => {
    if (naProbs === undefined) return 0;
    const p = lookup(naProbs, id);
    if (p === undefined) throw new TaskInputError(`naProbs has no probability for question ${id}`);
    return p;
  };
  const thresholded = (raw: Map<string, number>) => {
    const out = new Map<string, number>();
    for (const [id, s] of raw) out.set(id, naProb(id) > threshold ? (hasAns.get(id) ? 0 : 1) : s);
    return out;
  };
  const exact = thresholded(exactRaw);
  const f1 = thresholded(f1Raw);
  const evalOver = (ids: string[]) => {
    let e = 0;
    let f = 0;
    for (const id of ids) {
      e += exact.get(id) as number;
      f += f1.get(id) as number;
    }
    return { exact: (100 * e) / ids.length, f1: (100 * f) / ids.length, total: ids.length };
  };
  const all = [...exact.keys()];
  const out: SquadV2Result = evalOver(all);
  const has = all.filter((id) => hasAns.get(id));
  const no = all.filter((id) => !hasAns.get(id));
  if (has.length > 0) {
    const r = evalOver(has);
    Object.assign(out, { HasAns_exact: r.exact, HasAns_f1: r.f1, HasAns_total: r.total });
  }
  if (no.length > 0) {
    const r = evalOver(no);
    Object.assign(out, { NoAns_exact: r.exact, NoAns_f1: r.f1, NoAns_total: r.total });
  }
  if (naProbs !== undefined) {
    const entries: [string, number][] = naProbs instanceof Map ? [...naProbs] : Object.entries(naProbs);
    const best = (raw: Map<string, number>) => bestThreshold(raw, predictions, entries, hasAns);
    const e = best(exactRaw);
    const f = best(f1Raw);
    Object.assign(out, {
      best_exact: e.score,
      best_exact_thresh: e.thresh,
      best_f1: f.score,
      best_f1_thresh: f.thresh,
    });
  }
  return out;
}

/**
 * find_best_thresh: start from "predict no answer everywhere" (score = number of no-answer
 * questions), walk the questions by increasing no-answer probability (stable: equal probabilities
 * in the given order), and keep the threshold where the running score was highest (first reached).
 */
function bestThreshold(
  raw: Map<string, number>,
  predictions: Predictions,
  naProbs: [string, number][],
  hasAns: Map<string, boolean>,
): { score: number; thresh: number } {
  let score = 0;
  for (const id of raw.keys()) if (!hasAns.get(id)) score++;
  let bestScore = score;
  let thresh = 0;
  const order = naProbs.map((e, i) => [e, i] as const).sort((a, b) => a[0][1] - b[0][1] || a[1] - b[1]);
  for (const [[id, p]] of order) {
    const s = raw.get(id);
    if (s === undefined) continue;
    if (hasAns.get(id)) score += s;
    else score += lookup(predictions, id) ? -1 : 0;
    if (score > bestScore) {
      bestScore = score;
      thresh = p;
    }
  }
  return { score: (100 * bestScore) / raw.size, thresh };
}
