// zero-shot-classification with an NLI head (Hugging Face's ZeroShotClassificationPipeline): each
// candidate label becomes the hypothesis `hypothesisTemplate` with {} replaced by the label, paired
// with the text; the entailment logit (its index from config.json label2id) scores the label.
// Single-label: softmax of the entailment logits over the labels; multi-label (or one label):
// each label on its own, softmax over [contradiction, entailment].
import type { AlbertConfig, ModelSource } from '@albert-ts/core';
import type { AlbertForSequenceClassification } from '@albert-ts/heads';
import type { TextInput } from '@albert-ts/tokenizer';
import { AutoModelForSequenceClassification } from '../auto/auto-model.js';
import { PipelineError } from '../errors.js';
import type { Tokenizer } from '../tokenizer/auto-tokenizer.js';
import { runRows } from './batches.js';
import { makePipeline, type Pipeline } from './callable.js';
import { encodeTruncating, secondTooLong } from './encode.js';
import { describe, textList } from './inputs.js';
import { openForTask, type PipelineOptions } from './load.js';
import { ranked, softmax } from './scores.js';

export interface ZeroShotOptions {
  /** The labels to choose from: an array, or one string of comma-separated labels (as HF). */
  candidateLabels?: string | string[];
  /** The hypothesis, {} standing for the label (default 'This example is {}.'). */
  hypothesisTemplate?: string;
  /** Score each label independently (default false: the scores sum to 1). */
  multiLabel?: boolean;
}

export interface ZeroShotOutput {
  sequence: string;
  /** The candidate labels, best first. */
  labels: string[];
  scores: number[];
}

export type ZeroShotClassificationPipeline = Pipeline<string, ZeroShotOutput, ZeroShotOptions>;

const TASK = 'zero-shot-classification';

/** The entailment and contradiction indices from label2id ('entail…', 'contra…', any case). */
export function nliIndices(config: AlbertConfig, where: string): { entailment: number; contradiction: number } {
  const pairs = Object.entries(config.label2id ?? {});
  const find = (prefix: string) => pairs.find(([label]) => label.toLowerCase().startsWith(prefix))?.[1];
  const entailment = find('entail');
  if (entailment === undefined) {
    throw new PipelineError(
      'wrong-architecture',
      `${TASK}: ${where} is not an NLI model: its config.json label2id (${pairs.map(([l]) => l).join(', ') || 'empty'}) has no ` +
        '"entailment" label. Pass a model fine-tuned on NLI (MNLI, RTE, …) whose label2id names entailment and contradiction.',
    );
  }
  // HF's rule when no label says contradiction: index 0, or the last index when entailment is 0
  const contradiction = find('contra') ?? (entailment === 0 ? config.numLabels - 1 : 0);
  return { entailment, contradiction };
}

function candidateList(value: unknown): string[] {
  if (value === undefined) {
    throw new PipelineError(
      'bad-option',
      `${TASK}: no candidateLabels; pass them to the call or the pipeline, e.g. { candidateLabels: ['sports', 'politics'] }`,
    );
  }
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((l) => typeof l !== 'string' || l.trim() === '')) {
    throw new PipelineError(
      'bad-option',
      `${TASK}: candidateLabels must be a non-empty array of non-empty strings (or one comma-separated string), got ${describe(value)}`,
    );
  }
  return list as string[];
}

/** Only the text is truncated ('only_first'): each hypothesis must leave it at least one token. */
function checkHypotheses(tok: Tokenizer, hypotheses: string[], maxLength: number): void {
  for (const h of hypotheses) {
    const long = secondTooLong(tok, h, maxLength);
    if (long != null) {
      throw new PipelineError(
        'bad-option',
        `${TASK}: the hypothesis ${JSON.stringify(h.length > 40 ? `${h.slice(0, 40)}…` : h)} is ${long.tokens} tokens, more than the ${long.room} the model's ${maxLength} ` +
          'tokens leave beside the text; shorten the candidate label or the hypothesisTemplate',
      );
    }
  }
}

export async function zeroShotClassificationPipeline(
  model: string | ModelSource | undefined,
  options: PipelineOptions & ZeroShotOptions,
): Promise<ZeroShotClassificationPipeline> {
  const opened = await openForTask(TASK, model, options, ['AlbertForSequenceClassification']);
  const { batchSize } = opened;
  const { entailment, contradiction } = nliIndices(opened.config, opened.source.description);
  const nli: AlbertForSequenceClassification = await AutoModelForSequenceClassification.fromPretrained(opened.source, {
    warn: opened.warn,
    dtype: opened.dtype,
  });
  const run = async (texts: string[], call: ZeroShotOptions): Promise<ZeroShotOutput[]> => {
    const labels = candidateList(call.candidateLabels ?? options.candidateLabels);
    const template = call.hypothesisTemplate ?? options.hypothesisTemplate ?? 'This example is {}.';
    if (typeof template !== 'string' || !template.includes('{}')) {
      throw new PipelineError(
        'bad-option',
        `${TASK}: hypothesisTemplate must contain {} where the label goes, got ${describe(template)}`,
      );
    }
    const multiLabel = call.multiLabel ?? options.multiLabel ?? false;
    const hypotheses = labels.map((l) => template.replace('{}', l));
    checkHypotheses(opened.tokenizer, hypotheses, opened.maxLength);
    const pairs: TextInput[] = texts.flatMap((t) => hypotheses.map((h): TextInput => [t, h]));
    const encodings = encodeTruncating(
      opened.tokenizer,
      pairs,
      opened.maxLength,
      TASK,
      opened.warn,
      'only_first',
      (i) => Math.floor(i / labels.length),
    );
    const rows = await runRows(encodings, batchSize, opened.tokenizer.padId, (x) => [nli.forward(x).logits]);
    return texts.map((sequence, t) => {
      const logits = labels.map((_, l) => rows[t * labels.length + l]?.rows[0] as Float32Array);
      const scores =
        multiLabel || labels.length === 1
          ? logits.map((row) => softmax([row[contradiction] as number, row[entailment] as number])[1] as number)
          : softmax(logits.map((row) => row[entailment] as number));
      const order = ranked(scores);
      return { sequence, labels: order.map((i) => labels[i] as string), scores: order.map((i) => scores[i] as number) };
    });
  };
  return makePipeline(
    TASK,
    opened,
    (input) => textList(input, TASK),
    run,
    () => nli.dispose(),
  );
}
