// GLUE-style features as HF run_glue.py builds them: one text or a pair, truncated longest-first to
// maxLength (default 128), the label passed through (class id, or the score for regression).

import type { TokenInputs } from './token-inputs.js';
import type { TaskTokenizer } from './tokenizer-like.js';

export type SequenceClassificationFeature = TokenInputs & {
  /** class id or regression target; null when the example has none */
  label: number | null;
};

export type SequenceClassificationOptions = {
  /** default 128 (run_glue.py's max_seq_length) */
  maxLength?: number;
  /** 'max_length' (default, as run_glue.py's pad_to_max_length) or 'longest' in this call */
  padding?: 'max_length' | 'longest' | 'do_not_pad';
};

export function sequenceClassificationFeatures(
  tokenizer: TaskTokenizer,
  examples: readonly { textA: string; textB?: string | null; label?: number | null }[],
  options: SequenceClassificationOptions = {},
): SequenceClassificationFeature[] {
  const encodings = tokenizer.encodeBatch(
    examples.map((e) => (e.textB === undefined || e.textB === null ? e.textA : ([e.textA, e.textB] as const))),
    { maxLength: options.maxLength ?? 128, truncation: 'longest_first', padding: options.padding ?? 'max_length' },
  );
  return encodings.map((enc, i) => ({
    inputIds: enc.inputIds,
    tokenTypeIds: enc.tokenTypeIds,
    attentionMask: enc.attentionMask,
    label: examples[i]?.label ?? null,
  }));
}
