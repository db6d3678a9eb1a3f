// What finetune and evaluate need of a task: its data as features, a model with the right head,
// batches as tensors (labels included), and the task's metrics on a dev set. One file per task
// family (GLUE classification/regression, NER, SQuAD, multiple choice).
import type { AnyTaskModel } from '@albert-ts/core';
import type { AlbertTokenizer } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';

export const TASK_NAMES = [
  'sst2',
  'mrpc',
  'rte',
  'cola',
  'stsb',
  'mnli',
  'qnli',
  'qqp',
  'ner',
  'squad',
  'squad2',
  'mc',
] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export interface TaskOptions {
  maxSeqLength: number;
  /** Keep the first N examples of a split (quick runs); undefined keeps all. */
  limit?: number;
  /** SQuAD windows. */
  docStride?: number;
  maxQueryLength?: number;
  /** The model folder (tasks whose labels live in config.json read them there when evaluating). */
  modelFolder?: string;
}

/** A split read and turned into model features (SQuAD: several windows per example). */
export interface TaskData<F> {
  file: string;
  examples: number;
  features: F[];
  /** What evaluation needs besides the features (SQuAD: the examples' contexts and answers). */
  extra?: unknown;
}

export type EvalResult = {
  metrics: Record<string, number>;
  /** SQuAD: id → answer text (the official predictions.json); other tasks: id → predicted label. */
  predictions?: Record<string, string | number>;
};

export interface FinetuneTask<F, B> {
  name: TaskName;
  /** The metric that picks the best checkpoint (higher is better). */
  metric: string;
  /** Hugging Face class name of the model (config.json architectures). */
  architecture: string;
  read(path: string, tokenizer: AlbertTokenizer, options: TaskOptions, split: 'train' | 'dev'): Promise<TaskData<F>>;
  /** The task model from a pretrained folder, with a fresh head where the folder has none. */
  load(folder: string, options: { seed: number; warn: (m: string) => void }): Promise<AnyTaskModel>;
  collate(features: F[]): B;
  /** Tensors for forward (labels included); the caller disposes them. */
  toInputs(batch: B): Record<string, tf.Tensor>;
  evaluate(model: AnyTaskModel, data: TaskData<F>, batchSize: number): Promise<EvalResult>;
}

/** int32 [batch, seq] encoder inputs of a collated batch (ids, mask, types). */
export function encoderInputs(batch: {
  batchSize: number;
  seqLength: number;
  inputIds: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
}): Record<string, tf.Tensor> {
  const shape: [number, number] = [batch.batchSize, batch.seqLength];
  return {
    inputIds: tf.tensor2d(batch.inputIds, shape, 'int32'),
    attentionMask: tf.tensor2d(batch.attentionMask, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(batch.tokenTypeIds, shape, 'int32'),
  };
}

/** Splits features into batches of `size` (the last may be smaller). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
