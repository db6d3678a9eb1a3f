// Cross-entropy as torch.nn.CrossEntropyLoss(ignore_index=-100, reduction='mean'): the mean over
// the rows whose label is not -100. All rows ignored gives NaN (0/0), as in PyTorch. No gather is
// needed (so no UnsortedSegmentSum in the gradient): ignored rows get a zero one-hot row.
import * as tf from '@tensorflow/tfjs-core';
import { PretrainingError } from '../errors.js';

export const IGNORE_INDEX = -100;

/** logits: [N, C] float, labels: [N] int32 (-100 = ignore) -> scalar. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const [n, classes] = logits.shape;
  if (labels.shape[0] !== n) {
    throw new PretrainingError(`crossEntropy: ${n} rows of logits but ${labels.shape[0]} labels.`);
  }
  return tf.tidy(() => {
    const valid = tf.notEqual(labels, IGNORE_INDEX); // [N] bool
    const safe = tf.where(valid, labels, tf.zerosLike(labels)); // [N]
    const target = tf.mul(tf.oneHot(safe, classes), tf.expandDims(tf.cast(valid, 'float32'), 1)); // [N, C]
    const logProbs = tf.logSoftmax(logits); // [N, C]
    const total = tf.neg(tf.sum(tf.mul(logProbs, target)));
    return tf.div(total, tf.sum(tf.cast(valid, 'float32'))) as tf.Scalar;
  });
}
