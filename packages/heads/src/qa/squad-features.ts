// SQuAD features as HF run_qa.py prepares them: `[CLS] question [SEP] context window [SEP]`, the
// question's leading whitespace removed and (as the original BERT/ALBERT SQuAD code does) cut to
// maxQueryLength tokens, the context split into windows of the tokenizer's overflow (consecutive
// windows share docStride tokens, the fast tokenizers' `stride`), padded to maxLength.
//
// Offsets: per token the [start, end) of its text in the context with surrounding whitespace left
// out (the tokenizer gives a `▁` piece the space before it; an answer never starts with that
// space); -1 for tokens outside the context (HF sets them to None).
//
// Training labels (prepare_train_features): the first gold answer's token span when the window
// holds all of it, else [CLS] = 0 for both ends; questions without answers point at [CLS].

import { TaskInputError } from '../data/errors.js';
import { isPythonSpace } from '../data/text.js';
import type { TokenInputs } from '../data/token-inputs.js';
import type { TaskTokenizer } from '../data/tokenizer-like.js';

export type SquadFeature = TokenInputs & {
  /** index of the example (question) in the input list */
  exampleIndex: number;
  /** [start, end) in the context per token, whitespace trimmed; -1, -1 outside the context // [2 * length] */
  offsets: Int32Array;
  /** first and last token of the context in this window (inclusive) */
  contextStart: number;
  contextEnd: number;
  /** training targets: the answer's first and last token, or 0 ([CLS]) when not in this window */
  startPosition: number;
  endPosition: number;
};

export type SquadFeatureOptions = {
  /** tokens per window, question and special tokens included (default 384) */
  maxLength?: number;
  /** tokens shared by consecutive windows (default 128) */
  docStride?: number;
  /** question tokens kept (default 64) */
  maxQueryLength?: number;
  /** 'max_length' (default) or none */
  padding?: 'max_length' | 'do_not_pad';
};

export type SquadFeatureInput = {
  question: string;
  context: string;
  /** gold answers; the first one labels the windows (as run_qa.py) */
  answers?: readonly { text: string; answerStart: number }[];
};

/** Windows (features) of every example; one example may give several. */
export function squadFeatures(
  tokenizer: TaskTokenizer,
  examples: readonly SquadFeatureInput[],
  options: SquadFeatureOptions = {},
): SquadFeature[] {
  const maxLength = options.maxLength ?? 384;
  const stride = options.docStride ?? 128;
  const maxQuery = options.maxQueryLength ?? 64;
  const features: SquadFeature[] = [];
  let lastContext: string | null = null;
  let contextTokens = tokenizer.encodeSequence('');
  examples.forEach((ex, exampleIndex) => {
    // questions of one paragraph usually come together: tokenize the context once for them
    if (ex.context !== lastContext) {
      contextTokens = tokenizer.encodeSequence(ex.context);
      lastContext = ex.context;
    }
    const q = tokenizer.encodeSequence(ex.question.replace(/^\s+/, ''));
    const keep = Math.min(q.ids.length, maxQuery);
    const question = {
      ids: q.ids.subarray(0, keep),
      starts: q.starts.subarray(0, keep),
      ends: q.ends.subarray(0, keep),
    };
    const enc = tokenizer.encodeTokens(question, contextTokens, {
      maxLength,
      truncation: 'only_second',
      stride,
      returnOverflowingTokens: true,
      padding: options.padding ?? 'max_length',
    });
    const gold = goldSpan(ex, exampleIndex);
    for (const w of [enc, ...enc.overflow]) {
      const length = w.inputIds.length;
      const offsets = new Int32Array(2 * length).fill(-1);
      let contextStart = -1;
      let contextEnd = -1;
      for (let i = 0; i < length; i++) {
        if (w.sequenceIds[i] !== 1) continue;
        if (contextStart < 0) contextStart = i;
        contextEnd = i;
        let s = w.offsets[2 * i] as number;
        let e = w.offsets[2 * i + 1] as number;
        while (s < e && isPythonSpace(ex.context.charCodeAt(s))) s++;
        while (e > s && isPythonSpace(ex.context.charCodeAt(e - 1))) e--;
        offsets[2 * i] = s;
        offsets[2 * i + 1] = e;
      }
      const feature: SquadFeature = {
        exampleIndex,
        inputIds: w.inputIds,
        tokenTypeIds: w.tokenTypeIds,
        attentionMask: w.attentionMask,
        offsets,
        contextStart,
        contextEnd,
        startPosition: 0,
        endPosition: 0,
      };
      const span = gold === null ? null : answerTokenSpan(feature, gold.start, gold.end);
      if (span !== null) [feature.startPosition, feature.endPosition] = span;
      features.push(feature);
    }
  });
  return features;
}

/** The first gold answer's [start, end) in the context, whitespace at its ends left out. */
function goldSpan(ex: SquadFeatureInput, n: number): { start: number; end: number } | null {
  const a = ex.answers?.[0];
  if (a === undefined) return null;
  let start = a.answerStart;
  let end = start + a.text.length;
  if (!Number.isInteger(start) || start < 0 || end > ex.context.length) {
    throw new TaskInputError(
      `example ${n}: answer_start ${start} + ${a.text.length} characters is outside the context`,
    );
  }
  while (start < end && isPythonSpace(ex.context.charCodeAt(start))) start++;
  while (end > start && isPythonSpace(ex.context.charCodeAt(end - 1))) end--;
  return { start, end };
}

/**
 * The tokens of a window that hold the characters [startChar, endChar) of the context: the last
 * token starting at or before startChar, the first token ending at or after endChar (run_qa.py's
 * scan, kept inside the context: HF's start scan runs on into [SEP] and padding when the answer
 * starts in the window's last token). null when the window does not hold the whole span (or the
 * span is empty).
 */
export function answerTokenSpan(
  feature: Pick<SquadFeature, 'offsets' | 'contextStart' | 'contextEnd'>,
  startChar: number,
  endChar: number,
): [number, number] | null {
  const { offsets, contextStart: cs, contextEnd: ce } = feature;
  if (cs < 0) return null;
  if ((offsets[2 * cs] as number) > startChar || (offsets[2 * ce + 1] as number) < endChar) return null;
  let s = cs;
  while (s <= ce && (offsets[2 * s] as number) <= startChar) s++;
  let e = ce;
  while (e >= cs && (offsets[2 * e + 1] as number) >= endChar) e--;
  return e + 1 < s - 1 ? null : [s - 1, e + 1];
}
