// Multiple-choice features as HF's multiple-choice examples build them (run_swag.py and the RACE
// processor of utils_multiple_choice.py): per option one pair `[CLS] context [SEP] question+option
// [SEP]`, where question+option is the question with `_` replaced by the option (cloze questions) or
// `question + ' ' + option`. Both scripts tokenize with truncation=True, i.e. longest_first: the longer
// side (nearly always the article) loses tokens first. `truncation: 'only_first'` cuts only the context.

import { TaskInputError } from './errors.js';
import type { TaskTokenizer } from './tokenizer-like.js';

export type MultipleChoiceFeature = {
  numChoices: number;
  seqLength: number;
  inputIds: Int32Array; // [numChoices * seqLength]
  tokenTypeIds: Int32Array; // [numChoices * seqLength]
  attentionMask: Int32Array; // [numChoices * seqLength]
  /** index of the right option, null when unknown */
  label: number | null;
};

export type MultipleChoiceOptions = {
  /** default 512 */
  maxLength?: number;
  /** 'longest_first' (default, HF run_swag / RACE) or 'only_first' (keep every question+option token) */
  truncation?: 'longest_first' | 'only_first';
  /** 'longest' (default): the choices of one example padded to the longest of them; or 'max_length' */
  padding?: 'longest' | 'max_length';
};

/** The second text of one choice: a cloze question gets the option in place of `_`. */
export function questionWithOption(question: string, option: string): string {
  return question.includes('_') ? question.replaceAll('_', option) : `${question} ${option}`;
}

export function multipleChoiceFeatures(
  tokenizer: TaskTokenizer,
  examples: readonly { context: string; question: string; options: readonly string[]; label?: number | null }[],
  options: MultipleChoiceOptions = {},
): MultipleChoiceFeature[] {
  const maxLength = options.maxLength ?? 512;
  return examples.map((ex, n) => {
    if (ex.options.length === 0) throw new TaskInputError(`example ${n} has no options`);
    const encodings = tokenizer.encodeBatch(
      ex.options.map((o) => [ex.context, questionWithOption(ex.question, o)] as const),
      { maxLength, truncation: options.truncation ?? 'longest_first', padding: options.padding ?? 'longest' },
    );
    const numChoices = encodings.length;
    const seqLength = encodings[0]?.inputIds.length ?? 0;
    const inputIds = new Int32Array(numChoices * seqLength);
    const tokenTypeIds = new Int32Array(numChoices * seqLength);
    const attentionMask = new Int32Array(numChoices * seqLength);
    encodings.forEach((e, c) => {
      inputIds.set(e.inputIds, c * seqLength);
      tokenTypeIds.set(e.tokenTypeIds, c * seqLength);
      attentionMask.set(e.attentionMask, c * seqLength);
    });
    return { numChoices, seqLength, inputIds, tokenTypeIds, attentionMask, label: ex.label ?? null };
  });
}
