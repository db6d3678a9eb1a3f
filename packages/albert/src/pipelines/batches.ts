// Batching for speed on real text: inputs are sorted by token count and cut into batches, each padded
// only to its own longest member; results go back in the caller's order. The forward pass of each
// batch runs inside tf.tidy here and only plain typed arrays come out, so nothing stays allocated
// and the caller needs no tf.tidy of their own.
import type { Encoding } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';

/** Indices of `lengths` from the longest to the shortest (stable), in groups of `batchSize`. */
export function lengthSortedBatches(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => (lengths[b] as number) - (lengths[a] as number) || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}

/** Runs `run` on length-sorted batches of `items` and returns its results in the items' order. */
export async function inSortedBatches<T, R>(
  items: readonly T[],
  length: (item: T) => number,
  batchSize: number,
  run: (batch: T[]) => Promise<R[]>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  for (const batch of lengthSortedBatches(items.map(length), batchSize)) {
    const results = await run(batch.map((i) => items[i] as T));
    batch.forEach((i, k) => {
      out[i] = results[k] as R;
    });
  }
  return out;
}

/** Model inputs of a batch, padded with `padId` to the longest encoding: Int32Arrays of [b * s]. */
export interface PaddedBatch {
  batch: number;
  seq: number;
  inputIds: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
}

export function padBatch(encodings: readonly Encoding[], padId: number): PaddedBatch {
  const batch = encodings.length;
  let seq = 0;
  for (const e of encodings) seq = Math.max(seq, e.inputIds.length);
  const inputIds = new Int32Array(batch * seq).fill(padId);
  const attentionMask = new Int32Array(batch * seq);
  const tokenTypeIds = new Int32Array(batch * seq);
  encodings.forEach((e, b) => {
    inputIds.set(e.inputIds, b * seq);
    attentionMask.set(e.attentionMask, b * seq);
    tokenTypeIds.set(e.tokenTypeIds, b * seq);
  });
  return { batch, seq, inputIds, attentionMask, tokenTypeIds };
}

/** The batch as int32 tensors [b, s] (call inside tf.tidy). */
export function batchTensors(p: PaddedBatch): {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
} {
  const shape: [number, number] = [p.batch, p.seq];
  return {
    inputIds: tf.tensor2d(p.inputIds, shape, 'int32'),
    attentionMask: tf.tensor2d(p.attentionMask, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(p.tokenTypeIds, shape, 'int32'),
  };
}

/**
 * Runs `compute` in tf.tidy, downloads every tensor it returns, disposes them, and returns the
 * data: the tensors never outlive the call, whatever scope the caller is in.
 */
export async function computeAndRead(compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  const tensors = tf.tidy(compute);
  try {
    return (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
  } finally {
    tf.dispose(tensors);
  }
}
