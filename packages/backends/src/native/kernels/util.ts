// Helpers shared by the native kernels: typed-array access and the cpu fallback.
import { getKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../backend.js';

export function f32(backend: NativeBackend, t: TensorInfo): Float32Array {
  return backend.data.get(t.dataId).values as Float32Array;
}

export function values(backend: NativeBackend, t: TensorInfo): unknown {
  return backend.data.get(t.dataId).values;
}

export function isF32(backend: NativeBackend, ...ts: TensorInfo[]): boolean {
  return ts.every((t) => t.dtype === 'float32' && backend.data.get(t.dataId).values instanceof Float32Array);
}

export function size(shape: number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

/** The cpu backend's implementation of a kernel, for the cases a native kernel does not cover. */
export function cpuKernel(name: string): KernelFunc {
  const config = getKernel(name, 'cpu');
  if (config == null) throw new Error(`the cpu backend has no ${name} kernel`);
  return config.kernelFunc;
}

export type NativeKernel = Omit<KernelConfig, 'backendName'>;
