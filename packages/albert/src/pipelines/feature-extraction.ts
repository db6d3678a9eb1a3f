// feature-extraction: the encoder's last hidden state per token, or pooled per input (mean over the
// real tokens, or the [CLS] token), optionally L2-normalised. sentence-similarity builds on it.
import type { AlbertModel, ModelSource } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { loadBaseModel } from '../auto/auto-model.js';
import { runRows } from './batches.js';
import { makePipeline, type Pipeline } from './callable.js';
import { encodeTruncating } from './encode.js';
import { oneOf, textList } from './inputs.js';
import { type OpenedModel, openForTask, type PipelineOptions } from './load.js';

export type Pooling = 'none' | 'mean' | 'cls';
export const POOLINGS: readonly Pooling[] = ['none', 'mean', 'cls'];

export interface FeatureExtractionOptions {
  /** 'none' (default): one vector per token, [CLS] and [SEP] included; 'mean': the mean over real tokens; 'cls': the [CLS] token's vector. */
  pooling?: Pooling;
  /** Divide each vector by its L2 norm (default false). */
  normalize?: boolean;
}

/** A plain array of numbers with its shape: [tokens, hidden] without pooling, [hidden] with. */
export type Features = { data: Float32Array; dims: number[] };

export type FeatureExtractionPipeline = Pipeline<string, Features, FeatureExtractionOptions>;

/** Pooled (and normalised) vectors of a batch: [b, H], or [b, s, H] for 'none'. */
export function poolHidden(hidden: tf.Tensor3D, mask: tf.Tensor2D, pooling: Pooling, normalize: boolean): tf.Tensor {
  let out: tf.Tensor;
  if (pooling === 'mean') {
    const m = tf.expandDims(tf.cast(mask, 'float32'), 2); // [b, s, 1]
    out = tf.div(tf.sum(tf.mul(hidden, m), 1), tf.maximum(tf.sum(m, 1), 1e-9)); // [b, H]
  } else if (pooling === 'cls') {
    const [b, , h] = hidden.shape;
    out = tf.reshape(tf.slice(hidden, [0, 0, 0], [b, 1, h]), [b, h]); // [b, H]
  } else {
    out = hidden; // [b, s, H]
  }
  if (normalize) out = tf.div(out, tf.maximum(tf.norm(out, 'euclidean', -1, true), 1e-12));
  return out;
}

/** Features of `texts` (caller order), length-sorted batches through `model`. */
export async function extractFeatures(
  opened: OpenedModel,
  model: AlbertModel,
  texts: readonly string[],
  options: FeatureExtractionOptions,
  batchSize: number,
  task: string,
): Promise<Features[]> {
  const pooling = oneOf(options.pooling, POOLINGS, 'pooling', task, 'none');
  const normalize = options.normalize ?? false;
  const encodings = encodeTruncating(opened.tokenizer, texts, opened.maxLength, task, opened.warn);
  const hidden = opened.config.hiddenSize;
  const rows = await runRows(encodings, batchSize, opened.tokenizer.padId, (inputs) => {
    const { lastHiddenState } = model.forward(inputs); // [b, s, H]
    return [poolHidden(lastHiddenState, inputs.attentionMask, pooling, normalize)];
  });
  return rows.map(({ rows: [data] }, i) => {
    const row = data as Float32Array; // [H], or [s, H] with the batch's padding
    if (pooling !== 'none') return { data: row, dims: [hidden] };
    const n = (encodings[i] as { inputIds: Int32Array }).inputIds.length;
    return { data: row.slice(0, n * hidden), dims: [n, hidden] };
  });
}

export async function featureExtractionPipeline(
  model: string | ModelSource | undefined,
  options: PipelineOptions & FeatureExtractionOptions,
  task = 'feature-extraction',
): Promise<FeatureExtractionPipeline> {
  oneOf(options.pooling, POOLINGS, 'pooling', task, 'none');
  const opened = await openForTask(task, model, options, 'any');
  const { batchSize } = opened;
  const encoder = await loadBaseModel(
    opened.source,
    { addPoolingLayer: false, warn: opened.warn, dtype: opened.dtype },
    opened.config,
  );
  const defaults: FeatureExtractionOptions = {
    ...(options.pooling && { pooling: options.pooling }),
    ...(options.normalize != null && { normalize: options.normalize }),
  };
  return makePipeline(
    task,
    opened,
    (input) => textList(input, task),
    (texts, call: FeatureExtractionOptions) =>
      extractFeatures(opened, encoder, texts, { ...defaults, ...call }, batchSize, task),
    () => encoder.dispose(),
  );
}
