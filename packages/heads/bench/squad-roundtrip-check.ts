// The SQuAD round trip: gold answer (characters) → its token span in every window that holds it
// (squadFeatures' training labels) → logits that peak there (10 at the gold start and end token,
// 0 elsewhere) → postprocessQaPredictions → text. The text must be the gold text; when it is not,
// the only accepted reason is that the gold answer starts or ends inside a token (the tokenizer
// cannot cut there), and then the text must be the whole tokens around the gold text; or that the
// gold answer is longer than maxAnswerLength tokens, which the post-processor rejects by design.
// Used by the test (a committed slice of dev) and by `pnpm bench squad-roundtrip` (all of dev).

import {
  postprocessQaPredictions,
  type SquadExample,
  type SquadFeature,
  squadFeatures,
  type TaskTokenizer,
} from '../src/index.js';

export type RoundTripCase = {
  id: string;
  gold: string;
  goldStart: number;
  text: string;
  start: number;
  end: number;
  /** exact | whitespace (equal up to whitespace) | too-long (> maxAnswerLength tokens) | inside-token (gold edge inside a token) | wrong */
  outcome: 'exact' | 'whitespace' | 'too-long' | 'inside-token' | 'wrong';
};

export type RoundTripResult = {
  questions: number;
  features: number;
  exact: number;
  whitespace: number;
  tooLong: number;
  insideToken: number;
  wrong: number;
  /** every case that is not exact */
  misses: RoundTripCase[];
};

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Round-trips one gold answer per example: `answer(example)` picks it (default: the first, as run_qa.py
 * trains on); examples whose picked answer is undefined are left out.
 */
export function squadRoundTrip(
  tokenizer: TaskTokenizer,
  examples: readonly SquadExample[],
  answer: (e: SquadExample) => SquadExample['answers'][number] | undefined = (e) => e.answers[0],
  options: { maxAnswerLength?: number } = {},
): RoundTripResult {
  const maxAnswerLength = options.maxAnswerLength ?? 30;
  const picked = examples.flatMap((e) => {
    const a = answer(e);
    return a === undefined ? [] : [{ ...e, answers: [a] }];
  });
  const features: SquadFeature[] = squadFeatures(tokenizer, picked);
  const seq = features[0]?.inputIds.length ?? 0;
  const start = new Float32Array(features.length * seq);
  const end = new Float32Array(features.length * seq);
  features.forEach((f, i) => {
    if (f.startPosition === 0) return; // this window does not hold the answer
    start[i * seq + f.startPosition] = 10;
    end[i * seq + f.endPosition] = 10;
  });
  const predictions = postprocessQaPredictions(picked, features, start, end, { maxAnswerLength });
  const result: RoundTripResult = {
    questions: picked.length,
    features: features.length,
    exact: 0,
    whitespace: 0,
    tooLong: 0,
    insideToken: 0,
    wrong: 0,
    misses: [],
  };
  const byExample: SquadFeature[][] = picked.map(() => []);
  for (const f of features) byExample[f.exampleIndex]?.push(f);
  predictions.forEach((p, n) => {
    const ex = picked[n] as SquadExample;
    const gold = ex.answers[0] as { text: string; answerStart: number };
    const goldEnd = gold.answerStart + gold.text.length;
    const c: RoundTripCase = {
      id: ex.id,
      gold: gold.text,
      goldStart: gold.answerStart,
      text: p.text,
      start: p.start,
      end: p.end,
      outcome: 'wrong',
    };
    if (p.text === gold.text) c.outcome = 'exact';
    else if (squash(p.text) === squash(gold.text)) c.outcome = 'whitespace';
    else if (
      (byExample[n] as SquadFeature[]).every(
        (f) => f.startPosition === 0 || f.endPosition - f.startPosition + 1 > maxAnswerLength,
      )
    ) {
      c.outcome = 'too-long';
    } else if (
      p.kind === 'span' &&
      p.start <= gold.answerStart &&
      p.end >= goldEnd &&
      (cutsToken(byExample[n] as SquadFeature[], gold.answerStart) ||
        cutsToken(byExample[n] as SquadFeature[], goldEnd)) &&
      !tokenEdgeBetween(byExample[n] as SquadFeature[], p.start, gold.answerStart, goldEnd, p.end)
    ) {
      c.outcome = 'inside-token';
    }
    if (c.outcome === 'exact') result.exact++;
    else {
      if (c.outcome === 'whitespace') result.whitespace++;
      else if (c.outcome === 'too-long') result.tooLong++;
      else if (c.outcome === 'inside-token') result.insideToken++;
      else result.wrong++;
      result.misses.push(c);
    }
  });
  return result;
}

/** Some token of the example's windows has `at` strictly inside its (trimmed) span. */
function cutsToken(features: SquadFeature[], at: number): boolean {
  return features.some((f) => {
    for (let i = f.contextStart; i <= f.contextEnd; i++) {
      if ((f.offsets[2 * i] as number) < at && at < (f.offsets[2 * i + 1] as number)) return true;
    }
    return false;
  });
}

/**
 * A token starts in (from, goldStart] or ends in [goldEnd, to): the predicted span could have been
 * tighter, so the miss is not the tokenizer's.
 */
function tokenEdgeBetween(
  features: SquadFeature[],
  from: number,
  goldStart: number,
  goldEnd: number,
  to: number,
): boolean {
  return features.some((f) => {
    for (let i = f.contextStart; i <= f.contextEnd; i++) {
      const s = f.offsets[2 * i] as number;
      const e = f.offsets[2 * i + 1] as number;
      if (s < e && ((s > from && s <= goldStart) || (e >= goldEnd && e < to))) return true;
    }
    return false;
  });
}
