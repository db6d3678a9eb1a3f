// A synthetic pretraining batch: random token ids, 15% of the positions masked for the MLM loss
// (labels = the original ids there, -100 elsewhere), random sentence-order labels. Seeded.
import { SeededRandom } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';

export type PretrainingBatch = {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
  labels: tf.Tensor2D;
  sentenceOrderLabel: tf.Tensor1D;
  masked: number;
};

export function pretrainingBatch(batch: number, seq: number, vocab: number, seed = 1): PretrainingBatch {
  const rng = new SeededRandom(seed);
  const rand = () => rng.uniform();
  const ids = new Int32Array(batch * seq);
  const types = new Int32Array(batch * seq);
  const labels = new Int32Array(batch * seq).fill(-100);
  let masked = 0;
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < seq; s++) {
      const i = b * seq + s;
      ids[i] = 5 + Math.floor(rand() * (vocab - 5));
      types[i] = s < seq / 2 ? 0 : 1;
      if (s > 0 && s < seq - 1 && rand() < 0.15) {
        labels[i] = ids[i] as number;
        ids[i] = 4; // [MASK]
        masked++;
      }
    }
  }
  const sop = Int32Array.from({ length: batch }, () => (rand() < 0.5 ? 1 : 0));
  return {
    inputIds: tf.tensor2d(ids, [batch, seq], 'int32'),
    attentionMask: tf.ones([batch, seq], 'int32') as tf.Tensor2D,
    tokenTypeIds: tf.tensor2d(types, [batch, seq], 'int32'),
    labels: tf.tensor2d(labels, [batch, seq], 'int32'),
    sentenceOrderLabel: tf.tensor1d(sop, 'int32'),
    masked,
  };
}
