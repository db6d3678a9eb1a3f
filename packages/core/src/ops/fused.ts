// Running the fused kernels of @albert-ts/common's contract (its CONTRACTS.md): when the active
// backend registers a kernel under one of those names (with its gradient), core runs it;
// otherwise core computes the composite.
import type { FusedKernelName, FusedKernels } from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';

export type { FusedKernelName };

type Kernel<K extends FusedKernelName> = FusedKernels<tf.Tensor>[K];

/** True when the current backend has a kernel registered under `name`. */
export function hasFusedKernel(name: FusedKernelName): boolean {
  return tf.getKernel(name, tf.getBackend()) != null;
}

/** Runs a registered fused kernel with its typed inputs and attrs; it returns one tensor. */
export function runFusedKernel<K extends FusedKernelName>(
  name: K,
  inputs: Kernel<K>['inputs'],
  ...attrs: keyof Kernel<K>['attrs'] extends never ? [] : [Kernel<K>['attrs']]
): tf.Tensor {
  const attrMap = (attrs[0] ?? {}) as tf.NamedAttrMap;
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrMap) as tf.Tensor;
}

/** Runs a registered fused kernel that returns several tensors (the optimizer updates). */
export function runFusedKernelOutputs<K extends FusedKernelName>(
  name: K,
  inputs: Kernel<K>['inputs'],
  ...attrs: keyof Kernel<K>['attrs'] extends never ? [] : [Kernel<K>['attrs']]
): tf.Tensor[] {
  const attrMap = (attrs[0] ?? {}) as tf.NamedAttrMap;
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrMap) as tf.Tensor[];
}
