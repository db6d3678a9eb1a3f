// Kernels the project replaces on the tfjs cpu backend. Registered once, when the cpu backend
// is provided by initBackend() (and before the native backend copies the cpu kernel table).
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { cpuUnsortedSegmentSumConfig } from './unsorted-segment-sum.js';

let done = false;

export function registerCpuKernels(): void {
  if (done) return;
  done = true;
  if (getKernel(cpuUnsortedSegmentSumConfig.kernelName, 'cpu') != null) {
    unregisterKernel(cpuUnsortedSegmentSumConfig.kernelName, 'cpu');
  }
  registerKernel(cpuUnsortedSegmentSumConfig);
}
