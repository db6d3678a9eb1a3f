// Layer normalisation over the last axis with the biased variance, as torch.nn.LayerNorm:
// (x - mean) / sqrt(var + eps) * gamma + beta. tfjs-core has no layer norm.
import { AlbertAddLayerNorm, AlbertLayerNorm } from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';
import { hasFusedKernel, runFusedKernel } from './fused.js';

/**
 * layerNorm(x + residual): the post-LN transformer's residual step. One `AlbertAddLayerNorm`
 * kernel when the backend registers it (@albert-ts/common's CONTRACTS.md), else the add and layerNorm().
 * x, residual: [..., n], gamma/beta: [n].
 */
export function addLayerNorm<T extends tf.Tensor>(
  x: T,
  residual: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): T {
  if (hasFusedKernel(AlbertAddLayerNorm)) {
    return runFusedKernel(AlbertAddLayerNorm, { x, residual, gamma, beta }, { epsilon }) as T;
  }
  return tf.tidy(() => layerNorm(tf.add(x, residual) as T, gamma, beta, epsilon));
}

/** x: [..., n], gamma/beta: [n]. */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): T {
  if (hasFusedKernel(AlbertLayerNorm)) return runFusedKernel(AlbertLayerNorm, { x, gamma, beta }, { epsilon }) as T;
  return tf.tidy(() => {
    const axis = x.rank - 1;
    const centered = tf.sub(x, tf.mean(x, axis, true)); // [..., n]
    const variance = tf.mean(tf.square(centered), axis, true); // [..., 1]
    const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, epsilon)));
    return tf.add(tf.mul(normed, gamma), beta) as T;
  });
}
