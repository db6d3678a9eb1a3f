// The losses of Hugging Face's ALBERT heads, as torch computes them (reduction 'mean'):
// - crossEntropy: nn.CrossEntropyLoss(ignore_index): mean over the rows whose label is not the
//   ignore index; every row ignored gives NaN (0/0), as in PyTorch. No gather is needed (so no
//   scatter in the gradient): ignored rows get a zero one-hot row.
// - mseLoss: nn.MSELoss: mean((input - target)^2).
// - bceWithLogits: nn.BCEWithLogitsLoss: mean(max(x, 0) - x*y + log(1 + exp(-|x|))), torch's
//   numerically stable form (no overflow for large |x|).
import { IGNORE_INDEX } from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';
import { ModelInputError } from '../errors.js';

/** Label value the losses skip (torch's CrossEntropyLoss default), from @albert-ts/common. */
export { IGNORE_INDEX };

/** logits: [N, C] float, labels: int32 [N] (`ignoreIndex` = skip, default -100) -> scalar. */
export function crossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  options: { ignoreIndex?: number } = {},
): tf.Scalar {
  const [n, classes] = logits.shape;
  if (labels.rank !== 1 || labels.shape[0] !== n) {
    throw new ModelInputError(
      `crossEntropy: ${n} rows of logits but labels of shape [${labels.shape}]; give one label per row.`,
    );
  }
  if (labels.dtype !== 'int32') {
    throw new ModelInputError(`crossEntropy: labels must be int32 class ids; got ${labels.dtype}.`);
  }
  const ignoreIndex = options.ignoreIndex ?? IGNORE_INDEX;
  return tf.tidy(() => {
    const valid = tf.notEqual(labels, ignoreIndex); // [N] bool
    const safe = tf.where(valid, labels, tf.zerosLike(labels)); // [N]
    const target = tf.mul(tf.oneHot(safe, classes), tf.expandDims(tf.cast(valid, 'float32'), 1)); // [N, C]
    const logProbs = tf.logSoftmax(logits); // [N, C]
    const total = tf.neg(tf.sum(tf.mul(logProbs, target)));
    return tf.div(total, tf.sum(tf.cast(valid, 'float32')));
  });
}

/** input, target: float, same shape -> mean squared error (scalar). */
export function mseLoss(input: tf.Tensor, target: tf.Tensor): tf.Scalar {
  checkSameShape('mseLoss', input, target);
  return tf.tidy(() => tf.mean(tf.squaredDifference(input, target)));
}

/** logits, targets (probabilities in [0, 1]): float, same shape -> mean binary cross-entropy (scalar). */
export function bceWithLogits(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  checkSameShape('bceWithLogits', logits, targets);
  return tf.tidy(() => {
    const perElement = tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, targets)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    );
    return tf.mean(perElement);
  });
}

function checkSameShape(where: string, input: tf.Tensor, target: tf.Tensor): void {
  if (input.shape.join() !== target.shape.join()) {
    throw new ModelInputError(
      `${where}: input has shape [${input.shape}] but target [${target.shape}]; they must match.`,
    );
  }
  if (target.dtype !== 'float32') {
    throw new ModelInputError(`${where}: target must be float32; got ${target.dtype}. Create it with dtype 'float32'.`);
  }
}
