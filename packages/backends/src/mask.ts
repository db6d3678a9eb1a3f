// The additive attention-mask value for a backend's float precision (see @albert-ts/common's
// mask.ts for why fp16 needs another value than Hugging Face's finfo(float32).min).
import { MASK_NEGATIVE_FP16, MASK_NEGATIVE_FP32, maskNegativeFor } from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';

export { MASK_NEGATIVE_FP16, MASK_NEGATIVE_FP32 };

/** The mask value for `backendName` (default: the current tfjs backend). */
export function maskNegative(backendName: string = tf.getBackend()): number {
  const backend = tf.engine().registry[backendName] as unknown as { floatPrecision?(): number } | undefined;
  return maskNegativeFor(backend?.floatPrecision?.() ?? 32);
}
