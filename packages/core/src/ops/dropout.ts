// Inverted dropout, only in training mode. Seeds come from the caller so a training step can be
// replayed exactly.
import { AlbertDropout } from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';
import { hasFusedKernel, runFusedKernel } from './fused.js';

export interface DropoutContext {
  training: boolean;
  /** Next seed for a dropout mask; called once per dropout site and call. */
  nextSeed: () => number;
}

/**
 * x unchanged (same tensor) outside training or when rate is 0; else keep with prob 1-rate, scale
 * 1/(1-rate). A backend that registers `AlbertDropout {x} {rate, seed}` (with its gradient) makes
 * the mask itself from the seed; otherwise tf.dropout. Same seed, same backend: same mask.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, ctx: DropoutContext): T {
  if (!ctx.training || rate === 0) return x;
  const seed = ctx.nextSeed();
  if (x.dtype === 'float32' && Number.isSafeInteger(seed) && hasFusedKernel(AlbertDropout)) {
    return runFusedKernel(AlbertDropout, { x }, { rate, seed }) as T;
  }
  return tf.dropout(x, rate, undefined, seed) as T;
}
