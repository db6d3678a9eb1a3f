// Kernels the project adds to (or wraps on) the tfjs wasm backend. Registered once, before
// the wasm backend is first set, by registerWasmKernels() (called from registerWasm()).
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { explicitTransposeMatMul } from './batch-mat-mul.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

let done = false;

export function registerWasmKernels(): void {
  if (done) return;
  done = true;
  if (getKernel('UnsortedSegmentSum', 'wasm') == null) registerKernel(unsortedSegmentSumConfig);
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const original = getKernel(name, 'wasm');
    if (original == null) continue;
    unregisterKernel(name, 'wasm');
    registerKernel(explicitTransposeMatMul(original));
  }
}
