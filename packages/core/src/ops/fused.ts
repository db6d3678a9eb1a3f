// The fused-kernel contract with @albert-ts/backends: when the active backend registers a kernel
// under one of these names (with its gradient), core runs it; otherwise core computes the composite.
import * as tf from '@tensorflow/tfjs-core';

export type FusedKernelName =
  | 'AlbertLayerNorm'
  | 'AlbertGelu'
  | 'AlbertGeluNew'
  | 'AlbertLinear'
  | 'AlbertAddLayerNorm'
  | 'AlbertMaskedSoftmax'
  | 'AlbertSelfAttention'
  | 'AlbertDense'
  | 'AlbertDropout'
  | 'AlbertAdamUpdate'
  | 'AlbertLambUpdate';

/** True when the current backend has a kernel registered under `name`. */
export function hasFusedKernel(name: FusedKernelName): boolean {
  return tf.getKernel(name, tf.getBackend()) != null;
}

/** Runs a registered fused kernel; it returns one tensor, or several (e.g. the optimizer updates). */
export function runFusedKernel<T extends tf.Tensor | tf.Tensor[]>(
  name: FusedKernelName,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, number | string | boolean> = {},
): T {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs) as T;
}
