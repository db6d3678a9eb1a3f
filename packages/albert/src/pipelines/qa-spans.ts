// Extractive QA post-processing of one window, as Hugging Face's QuestionAnsweringPipeline does it
// (transformers/pipelines/question_answering.py): logits of tokens outside the context (except [CLS])
// set to -10000, softmax over the window for start and end, the null score p_start[CLS]·p_end[CLS]
// kept for handleImpossibleAnswer, [CLS] then excluded, and the best (start, end) pairs with
// start ≤ end < start + maxAnswerLen by p_start·p_end, both inside the context. A caller's `keep`
// leaves out spans it cannot answer with (question-answering: those with no text, a lone ▁ token).

export interface SpanCandidate {
  /** token positions in the window */
  start: number;
  end: number;
  score: number;
}

export interface WindowScores {
  startLogits: ArrayLike<number>;
  endLogits: ArrayLike<number>;
  /** 1 for tokens of the context, 0 otherwise (question, special tokens, padding) */
  context: ArrayLike<number>;
  /** the [CLS] position (0 for ALBERT) */
  cls: number;
}

function maskedSoftmax(logits: ArrayLike<number>, allowed: (i: number) => boolean): Float64Array {
  const n = logits.length;
  const out = new Float64Array(n);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    out[i] = allowed(i) ? (logits[i] as number) : -10000;
    max = Math.max(max, out[i] as number);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.exp((out[i] as number) - max);
    sum += out[i] as number;
  }
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/** The `topK` best spans of one window (among those `keep` accepts) and its null score (p_start[CLS]·p_end[CLS]). */
export function bestSpans(
  w: WindowScores,
  topK: number,
  maxAnswerLen: number,
  keep: (start: number, end: number) => boolean = () => true,
): { spans: SpanCandidate[]; nullScore: number } {
  const allowed = (i: number) => (w.context[i] as number) === 1 || i === w.cls;
  const start = maskedSoftmax(w.startLogits, allowed);
  const end = maskedSoftmax(w.endLogits, allowed);
  const nullScore = (start[w.cls] as number) * (end[w.cls] as number);
  start[w.cls] = 0;
  end[w.cls] = 0;
  // every (s, e) with s ≤ e < s + maxAnswerLen, both in the context; keep the best topK
  const spans: SpanCandidate[] = [];
  const n = start.length;
  for (let s = 0; s < n; s++) {
    if ((w.context[s] as number) !== 1) continue;
    for (let e = s; e < Math.min(n, s + maxAnswerLen); e++) {
      if ((w.context[e] as number) !== 1) continue;
      const score = (start[s] as number) * (end[e] as number);
      if (spans.length === topK && score <= (spans.at(-1) as SpanCandidate).score) continue;
      if (!keep(s, e)) continue;
      let at = spans.length;
      while (at > 0 && (spans[at - 1] as SpanCandidate).score < score) at--;
      spans.splice(at, 0, { start: s, end: e, score });
      if (spans.length > topK) spans.pop();
    }
  }
  return { spans, nullScore };
}

const SPACE = /\s/u;

/**
 * The answer's [start, end) in the context from its first and last tokens' offsets: widened to
 * whole words (HF align_to_words; a word ends at whitespace) and without surrounding whitespace (a
 * leading ▁ token's span includes the space before it).
 */
export function answerRange(context: string, start: number, end: number, alignToWords: boolean): [number, number] {
  let s = start;
  let e = end;
  while (s < e && SPACE.test(context[s] as string)) s++;
  while (e > s && SPACE.test(context[e - 1] as string)) e--;
  if (alignToWords) {
    while (s > 0 && !SPACE.test(context[s - 1] as string)) s--;
    while (e < context.length && !SPACE.test(context[e] as string)) e++;
  }
  return [s, e];
}
