// Batching for speed on real text: inputs are sorted by token count and cut into batches, each padded
// only to its own longest member; results go back in the caller's order. The forward pass of each
// batch runs inside tf.tidy here and only plain typed arrays come out, so nothing stays allocated
// and the caller needs no tf.tidy of their own.
import { type EncodedInputs, inputsFromEncodings } from '@albert-ts/core';
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

/** The longest encoding of a batch: the batch's padded length. */
export function longest(encodings: readonly Encoding[]): number {
  let seq = 0;
  for (const e of encodings) seq = Math.max(seq, e.inputIds.length);
  return seq;
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

/**
 * Runs a model head over `encodings` in length-sorted batches (padding id `padId`): `forward` maps the
 * batch's int32 inputs [b, s] to output tensors [b, …]. Returns, per encoding in the caller's order,
 * each output's row (padded positions included) and the batch's padded length.
 */
export async function runRows(
  encodings: readonly Encoding[],
  batchSize: number,
  padId: number,
  forward: (inputs: EncodedInputs) => tf.Tensor[],
): Promise<{ rows: Float32Array[]; seq: number }[]> {
  return inSortedBatches(
    encodings,
    (e) => e.inputIds.length,
    batchSize,
    async (batch) => {
      const seq = longest(batch);
      const shapes: number[][] = [];
      const data = await computeAndRead(() => {
        const outs = forward(inputsFromEncodings(batch, { padId }));
        for (const t of outs) shapes.push(t.shape);
        return outs;
      });
      return batch.map((_, b) => ({
        seq,
        rows: data.map((d, k) => {
          const size = (shapes[k] as number[]).slice(1).reduce((x, y) => x * y, 1);
          return d.slice(b * size, (b + 1) * size);
        }),
      }));
    },
  );
}
