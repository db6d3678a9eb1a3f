// pipeline(task, model?, options?): one function for every ALBERT task.
import type { ModelSource } from '@albert-ts/core';
import { PipelineError } from '../errors.js';
import { workerPipeline } from '../worker/node-pool.js';
import {
  type FeatureExtractionOptions,
  type FeatureExtractionPipeline,
  featureExtractionPipeline,
} from './feature-extraction.js';
import { type FillMaskOptions, type FillMaskPipeline, fillMaskPipeline } from './fill-mask.js';
import type { PipelineOptions } from './load.js';
import {
  type MultipleChoicePipeline,
  type MultipleChoicePipelineOptions,
  multipleChoicePipeline,
} from './multiple-choice.js';
import {
  type QuestionAnsweringOptions,
  type QuestionAnsweringPipeline,
  questionAnsweringPipeline,
} from './question-answering.js';
import {
  type SentenceSimilarityOptions,
  type SentenceSimilarityPipeline,
  sentenceSimilarityPipeline,
} from './sentence-similarity.js';
import {
  type TextClassificationOptions,
  type TextClassificationPipeline,
  textClassificationPipeline,
} from './text-classification.js';
import {
  type TokenClassificationPipeline,
  type TokenClassificationPipelineOptions,
  tokenClassificationPipeline,
} from './token-classification.js';
import {
  type ZeroShotClassificationPipeline,
  type ZeroShotOptions,
  zeroShotClassificationPipeline,
} from './zero-shot-classification.js';

/** Each task's pipeline type and its options. */
export interface Tasks {
  'feature-extraction': [FeatureExtractionPipeline, FeatureExtractionOptions];
  'sentence-similarity': [SentenceSimilarityPipeline, SentenceSimilarityOptions];
  'fill-mask': [FillMaskPipeline, FillMaskOptions];
  'text-classification': [TextClassificationPipeline, TextClassificationOptions];
  'token-classification': [TokenClassificationPipeline, TokenClassificationPipelineOptions];
  'question-answering': [QuestionAnsweringPipeline, QuestionAnsweringOptions];
  'zero-shot-classification': [ZeroShotClassificationPipeline, ZeroShotOptions];
  'multiple-choice': [MultipleChoicePipeline, MultipleChoicePipelineOptions];
}

export type TaskName = keyof Tasks;

const FACTORIES: {
  [T in TaskName]: (
    model: string | ModelSource | undefined,
    options: PipelineOptions & Tasks[T][1],
  ) => Promise<Tasks[T][0]>;
} = {
  'feature-extraction': (m, o) => featureExtractionPipeline(m, o),
  'sentence-similarity': sentenceSimilarityPipeline,
  'fill-mask': fillMaskPipeline,
  'text-classification': textClassificationPipeline,
  'token-classification': tokenClassificationPipeline,
  'question-answering': questionAnsweringPipeline,
  'zero-shot-classification': zeroShotClassificationPipeline,
  'multiple-choice': multipleChoicePipeline,
};

export const TASKS = Object.keys(FACTORIES) as TaskName[];

/**
 * A pipeline for `task` on `model` (a Hugging Face model folder, a base URL, a hub id or a
 * ModelSource; default: the embedded default model). Options: those of every pipeline
 * (batchSize, backend, threads, workers, tokenizer, onProgress, warn, hub options) and the task's own
 * defaults. With `workers` (Node), the pipeline runs in that many worker threads (node-pool.ts).
 */
export async function pipeline<T extends TaskName>(
  task: T,
  model?: string | ModelSource,
  options: PipelineOptions & Tasks[T][1] = {},
): Promise<Tasks[T][0]> {
  const factory = FACTORIES[task] as
    | ((m: string | ModelSource | undefined, o: PipelineOptions) => Promise<Tasks[T][0]>)
    | undefined;
  if (factory === undefined || !Object.hasOwn(FACTORIES, task)) {
    throw new PipelineError(
      'unknown-task',
      `pipeline: unknown task ${JSON.stringify(task)}; tasks: ${TASKS.join(', ')}`,
    );
  }
  if (options.workers !== undefined && options.workers !== 1) {
    return (await workerPipeline(task, model, options)) as unknown as Tasks[T][0];
  }
  return factory(model, options);
}
