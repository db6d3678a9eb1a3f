// text-classification: labels and scores of a sequence-classification head, as Hugging Face's
// TextClassificationPipeline: `functionToApply` defaults to sigmoid for multi-label models
// (problem_type multi_label_classification) and single-output models, softmax otherwise, none
// for regression; topK labels best first (null: all of them). A text pair goes in as { text, textPair }.
import type { ModelSource } from '@albert-ts/core';
import type { AlbertForSequenceClassification } from '@albert-ts/heads';
import type { TextInput } from '@albert-ts/tokenizer';
import { AutoModelForSequenceClassification } from '../auto/auto-model.js';
import { PipelineError } from '../errors.js';
import { runRows } from './batches.js';
import { makePipeline, type Pipeline } from './callable.js';
import { encodeTruncating } from './encode.js';
import { checkText, describe, oneOf, positiveInt } from './inputs.js';
import { openForTask, type PipelineOptions } from './load.js';
import { applyScore, ranked, SCORE_FUNCTIONS, type ScoreFunction } from './scores.js';

export type TextClassificationInput = string | { text: string; textPair?: string };

export interface TextClassificationOptions {
  /** Labels to return, best first (default 1; null: every label). */
  topK?: number | null;
  /** How logits become scores (default: from the model's problem_type and label count, as HF). */
  functionToApply?: ScoreFunction;
}

export interface LabelScore {
  label: string;
  score: number;
}

export type TextClassificationPipeline = Pipeline<TextClassificationInput, LabelScore[], TextClassificationOptions>;

const TASK = 'text-classification';

function checkInput(value: unknown, where: string): TextInput {
  if (typeof value === 'string') return checkText(value, TASK, where);
  if (value != null && typeof value === 'object' && !Array.isArray(value)) {
    const { text, textPair } = value as { text?: unknown; textPair?: unknown };
    const a = checkText(text, TASK, `${where}.text`);
    return textPair === undefined ? a : [a, checkText(textPair, TASK, `${where}.textPair`)];
  }
  throw new PipelineError(
    'bad-input',
    `${TASK}: ${where} must be a string or { text, textPair }, got ${describe(value)}`,
  );
}

export function splitTextInputs(input: unknown): { items: TextInput[]; single: boolean } {
  if (Array.isArray(input)) {
    if (input.length === 0) throw new PipelineError('bad-input', `${TASK}: the input array is empty`);
    return { items: input.map((v, i) => checkInput(v, `input [${i}]`)), single: false };
  }
  return { items: [checkInput(input, 'the input')], single: true };
}

/** HF's default: sigmoid for multi-label or one output, none for regression, softmax otherwise. */
export function defaultScoreFunction(problemType: string | null, numLabels: number): ScoreFunction {
  if (problemType === 'regression') return 'none';
  if (problemType === 'multi_label_classification' || numLabels === 1) return 'sigmoid';
  return 'softmax';
}

export async function textClassificationPipeline(
  model: string | ModelSource | undefined,
  options: PipelineOptions & TextClassificationOptions,
): Promise<TextClassificationPipeline> {
  const opened = await openForTask(TASK, model, options, ['AlbertForSequenceClassification']);
  const { batchSize } = opened;
  const classifier: AlbertForSequenceClassification = await AutoModelForSequenceClassification.fromPretrained(
    opened.source,
    { warn: opened.warn, dtype: opened.dtype },
  );
  const config = classifier.config;
  const labels = Array.from({ length: config.numLabels }, (_, i) => config.id2label?.[String(i)] ?? `LABEL_${i}`);
  const run = async (inputs: TextInput[], call: TextClassificationOptions): Promise<LabelScore[][]> => {
    const fn = oneOf(
      call.functionToApply ?? options.functionToApply,
      SCORE_FUNCTIONS,
      'functionToApply',
      TASK,
      defaultScoreFunction(config.problemType, config.numLabels),
    );
    const topKOption = call.topK !== undefined ? call.topK : options.topK;
    const topK = topKOption === null ? labels.length : positiveInt(topKOption, 'topK', TASK, 1);
    const encodings = encodeTruncating(opened.tokenizer, inputs, opened.maxLength, TASK, opened.warn);
    const rows = await runRows(encodings, batchSize, opened.tokenizer.padId, (x) => [classifier.forward(x).logits]);
    return rows.map(({ rows: [logits] }) => {
      const scores = applyScore(logits as Float32Array, fn);
      return ranked(scores)
        .slice(0, topK)
        .map((i) => ({ label: labels[i] as string, score: scores[i] as number }));
    });
  };
  return makePipeline(TASK, opened, splitTextInputs, run, () =>
    classifier.dispose(),
  ) as unknown as TextClassificationPipeline;
}
