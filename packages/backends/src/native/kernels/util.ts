// Helpers shared by the native kernels: typed-array access and the cpu fallback.

import { getKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendError } from '../../errors.js';
import type { NativeAddon } from '../addon.js';
import type { NativeBackend } from '../backend.js';

// A float32 tensor may hold an Int32Array or Uint8Array: the cpu backend casts int32/bool to
// float32 without copying. Such inputs are converted once (cached per array).
const converted = new WeakMap<object, Float32Array>();

/** The tensor's values as a Float32Array (for float32 tensors, see isF32). */
export function f32(backend: NativeBackend, t: TensorInfo): Float32Array {
  const v = backend.data.get(t.dataId).values;
  if (v instanceof Float32Array) return v;
  let c = converted.get(v as object);
  if (c == null) {
    c = Float32Array.from(v as Int32Array | Uint8Array);
    converted.set(v as object, c);
  }
  return c;
}

export function values(backend: NativeBackend, t: TensorInfo): unknown {
  return backend.data.get(t.dataId).values;
}

/** True when every tensor is float32 with numeric values (f32() gives them as a Float32Array). */
export function isF32(backend: NativeBackend, ...ts: TensorInfo[]): boolean {
  return ts.every((t) => {
    if (t.dtype !== 'float32') return false;
    const v = backend.data.get(t.dataId).values;
    return v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array;
  });
}

export function size(shape: number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

/** The cpu backend's implementation of a kernel, for the cases a native kernel does not cover. */
export function cpuKernel(name: string): KernelFunc {
  const config = getKernel(name, 'cpu');
  if (config == null) {
    throw new BackendError(
      `the cpu backend has no ${name} kernel, which the native backend falls back to: import '@tensorflow/tfjs-backend-cpu' before registering the native backend`,
    );
  }
  return config.kernelFunc;
}

export type NativeKernel = Omit<KernelConfig, 'backendName'> & {
  /**
   * The addon entry point the kernel cannot run without. An addon built from older sources (not
   * rebuilt after an update) lacks the newest ones: such a kernel is left unregistered, so core
   * computes the composite instead of failing.
   */
  needs?: keyof NativeAddon;
};
