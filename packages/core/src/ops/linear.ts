// Dense layer with the weight stored [in, out], so the product needs no transpose flag.
// The bias goes through tf.fused.matMul, which every tfjs backend implements: backends with a
// fused kernel add it to each output tile while it is in cache instead of in a second pass.
import {
  AlbertDense,
  AlbertLinear,
  type AlbertLinearActivation,
  AlbertLinearBf16,
  AlbertLinearQ8,
} from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';
import type { LowPrecisionWeight } from '../model/low-precision.js';
import { hasFusedKernel, runFusedKernel } from './fused.js';

/**
 * act(x W + b) with W's low-precision copy, when there is one, no tape records and the backend
 * registers its kernel (AlbertLinearQ8 / AlbertLinearBf16); null otherwise (the caller runs fp32).
 */
function lowPrecisionLinear<T extends tf.Tensor>(
  x: T,
  lp: LowPrecisionWeight | undefined,
  bias: tf.Tensor | undefined,
  activation: AlbertLinearActivation,
): T | null {
  if (lp == null || bias?.rank !== 1 || x.dtype !== 'float32' || tf.engine().state.gradientDepth !== 0) return null;
  if (lp.dtype === 'q8') {
    if (!hasFusedKernel(AlbertLinearQ8)) return null;
    const { weight, weightScale, weightColSum } = lp;
    return runFusedKernel(AlbertLinearQ8, { x, weight, weightScale, weightColSum, bias }, { activation }) as T;
  }
  if (!hasFusedKernel(AlbertLinearBf16)) return null;
  return runFusedKernel(AlbertLinearBf16, { x, weight: lp.weight, bias }, { activation }) as T;
}

/**
 * y = x W + b. x: [..., in], weight: [in, out], bias: [out] -> [..., out]. A backend that registers
 * the `AlbertDense` kernel (with its gradient) runs the layer as one taped kernel, without the
 * reshapes to and from 2-D (and their gradients) that tf.fused.matMul records.
 */
export function linear<T extends tf.Tensor>(x: T, weight: tf.Tensor, bias?: tf.Tensor, lp?: LowPrecisionWeight): T {
  const low = lowPrecisionLinear(x, lp, bias, 'linear');
  if (low != null) return low;
  if (bias?.rank === 1 && x.dtype === 'float32' && weight.dtype === 'float32' && hasFusedKernel(AlbertDense)) {
    return runFusedKernel(AlbertDense, { x, weight, bias }) as T;
  }
  return tf.tidy(() => {
    const [inDim, outDim] = weight.shape as [number, number];
    const lead = x.shape.slice(0, -1);
    const flat = tf.reshape(x, [-1, inDim]) as tf.Tensor2D; // [N, in]
    const y = tf.fused.matMul({ a: flat, b: weight as tf.Tensor2D, bias }); // [N, out]
    return tf.reshape(y, [...lead, outDim]) as T;
  });
}

// Activations the AlbertLinear kernel applies in its epilogue, by HF name.
const EPILOGUE_ACTIVATIONS: Record<string, AlbertLinearActivation> = {
  gelu: 'gelu',
  gelu_new: 'gelu_new',
  gelu_pytorch_tanh: 'gelu_new',
  gelu_fast: 'gelu_new',
};

/**
 * act(x W + b) for the FFN. Outside gradient recording, a backend that registers the fused
 * `AlbertLinear` kernel (@albert-ts/common's CONTRACTS.md) does the product, bias and activation in one pass; the
 * kernel has no gradient, so while a tape records (training, tf.grad) this is the composite.
 * With `lp` (the weight's q8 / bf16 copy) the low-precision kernel does the same in one pass.
 */
export function linearActivation<T extends tf.Tensor>(
  x: T,
  weight: tf.Tensor,
  bias: tf.Tensor,
  act: string,
  applyActivation: (t: tf.Tensor) => tf.Tensor,
  lp?: LowPrecisionWeight,
): T {
  const fused = EPILOGUE_ACTIVATIONS[act];
  if (fused != null) {
    const low = lowPrecisionLinear(x, lp, bias, fused);
    if (low != null) return low;
  } else if (lp != null) {
    const low = lowPrecisionLinear(x, lp, bias, 'linear');
    if (low != null) return tf.tidy(() => applyActivation(low) as T);
  }
  if (fused != null && tf.engine().state.gradientDepth === 0 && hasFusedKernel(AlbertLinear)) {
    return runFusedKernel(AlbertLinear, { x, weight, bias }, { activation: fused }) as T;
  }
  return tf.tidy(() => applyActivation(linear(x, weight, bias)) as T);
}
