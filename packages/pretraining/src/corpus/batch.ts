// Padding examples into a model batch. All arrays are row-major [batch, seqLength] Int32Arrays.
import { IGNORE_INDEX, inputsFromEncodings } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { PretrainingError } from '../errors.js';
import type { PretrainingExample } from './example.js';

export interface PretrainingBatch {
  batchSize: number;
  seqLength: number;
  inputIds: Int32Array; // [batch, seq], padded with padId
  attentionMask: Int32Array; // [batch, seq], 1 on real tokens
  tokenTypeIds: Int32Array; // [batch, seq], 0 on padding
  labels: Int32Array; // [batch, seq], original id at masked positions, -100 elsewhere
  sentenceOrderLabel: Int32Array; // [batch]
}

export function collateBatch(examples: readonly PretrainingExample[], seqLength: number, padId = 0): PretrainingBatch {
  const batchSize = examples.length;
  const inputIds = new Int32Array(batchSize * seqLength).fill(padId);
  const attentionMask = new Int32Array(batchSize * seqLength);
  const tokenTypeIds = new Int32Array(batchSize * seqLength);
  const labels = new Int32Array(batchSize * seqLength).fill(IGNORE_INDEX);
  const sentenceOrderLabel = new Int32Array(batchSize);
  examples.forEach((e, b) => {
    const n = e.inputIds.length;
    if (n > seqLength) {
      throw new PretrainingError(
        `collateBatch: example ${b} has ${n} tokens, more than seqLength ${seqLength}; build examples with maxSeqLength <= ${seqLength}.`,
      );
    }
    const row = b * seqLength;
    inputIds.set(e.inputIds, row);
    attentionMask.fill(1, row, row + n);
    tokenTypeIds.set(e.tokenTypeIds, row);
    for (let k = 0; k < e.maskedPositions.length; k++) {
      labels[row + (e.maskedPositions[k] as number)] = e.maskedIds[k] as number;
    }
    sentenceOrderLabel[b] = e.sentenceOrderLabel;
  });
  return { batchSize, seqLength, inputIds, attentionMask, tokenTypeIds, labels, sentenceOrderLabel };
}

export type PretrainingBatchTensors = {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
  labels: tf.Tensor2D;
  sentenceOrderLabel: tf.Tensor1D;
};

/** The batch as int32 tensors; the caller disposes them (`tf.dispose(t)`). */
export function batchToTensors(batch: PretrainingBatch): PretrainingBatchTensors {
  const { batchSize, seqLength } = batch;
  const row = (a: Int32Array, b: number) => a.subarray(b * seqLength, (b + 1) * seqLength);
  const rows = Array.from({ length: batchSize }, (_, b) => ({
    inputIds: row(batch.inputIds, b),
    attentionMask: row(batch.attentionMask, b),
    tokenTypeIds: row(batch.tokenTypeIds, b),
  }));
  return {
    ...inputsFromEncodings(rows, { padTo: seqLength }),
    labels: tf.tensor2d(batch.labels, [batchSize, seqLength], 'int32'),
    sentenceOrderLabel: tf.tensor1d(batch.sentenceOrderLabel, 'int32'),
  };
}
