// sentence-similarity: the cosine similarity of a source sentence to each of several sentences, from
// mean-pooled, L2-normalised encoder features (the Hugging Face hub's sentence-similarity task).
import type { ModelSource } from '@albert-ts/core';
import { loadBaseModel } from '../auto/auto-model.js';
import { PipelineError } from '../errors.js';
import { makePipeline, type Pipeline } from './callable.js';
import { extractFeatures, type Pooling } from './feature-extraction.js';
import { checkText, objectList, oneOf } from './inputs.js';
import { openForTask, type PipelineOptions } from './load.js';

export interface SentenceSimilarityInput {
  source: string;
  sentences: string[];
}

export interface SentenceSimilarityOptions {
  /** How each sentence becomes one vector: 'mean' (default) or 'cls'. */
  pooling?: Exclude<Pooling, 'none'>;
}

/** One cosine similarity in [-1, 1] per sentence, in the order given. */
export type SentenceSimilarityPipeline = Pipeline<SentenceSimilarityInput, number[], SentenceSimilarityOptions>;

const TASK = 'sentence-similarity';

function checkInput(value: Record<string, unknown>, where: string): SentenceSimilarityInput {
  const source = checkText(value.source, TASK, `${where}.source`);
  const sentences = value.sentences;
  if (!Array.isArray(sentences) || sentences.length === 0) {
    throw new PipelineError('bad-input', `${TASK}: ${where}.sentences must be a non-empty array of strings`);
  }
  return { source, sentences: sentences.map((s, i) => checkText(s, TASK, `${where}.sentences[${i}]`)) };
}

/** The caller's input as a list of checked items, and whether one item (not an array) was given. */
export function splitSentenceSimilarityInputs(input: unknown): {
  items: ReturnType<typeof checkInput>[];
  single: boolean;
} {
  return objectList(input, TASK, checkInput, '{ source, sentences }');
}

export async function sentenceSimilarityPipeline(
  model: string | ModelSource | undefined,
  options: PipelineOptions & SentenceSimilarityOptions,
): Promise<SentenceSimilarityPipeline> {
  const opened = await openForTask(TASK, model, options, 'any');
  const { batchSize } = opened;
  const encoder = await loadBaseModel(
    opened.source,
    { addPoolingLayer: false, warn: opened.warn, dtype: opened.dtype },
    opened.config,
  );
  return makePipeline(
    TASK,
    opened,
    splitSentenceSimilarityInputs,
    async (items, call: SentenceSimilarityOptions) => {
      const pooling = oneOf(call.pooling ?? options.pooling, ['mean', 'cls'] as const, 'pooling', TASK, 'mean');
      const texts = items.flatMap((it) => [it.source, ...it.sentences]);
      const vectors = await extractFeatures(opened, encoder, texts, { pooling, normalize: true }, batchSize, TASK);
      let k = 0;
      return items.map((it) => {
        const source = (vectors[k++] as { data: Float32Array }).data;
        return it.sentences.map(() => dot(source, (vectors[k++] as { data: Float32Array }).data));
      });
    },
    () => encoder.dispose(),
  );
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
