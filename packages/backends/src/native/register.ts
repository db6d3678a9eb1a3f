// Registers the 'native' backend: every cpu kernel is registered again for 'native' (same
// data storage, so they run unchanged), then the native kernels replace the hot ones.
import {
  findBackend,
  getKernel,
  getKernelsForBackend,
  type KernelConfig,
  registerBackend,
  registerKernel,
} from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { installFastTidyResults } from '../tidy-result.js';
import { loadNativeAddon } from './addon.js';
import { NativeBackend } from './backend.js';
import { registerAlbertGradients } from './gradients.js';
import { albertKernels } from './kernels/albert.js';
import { attentionKernels } from './kernels/attention.js';
import { elementwiseKernels } from './kernels/elementwise.js';
import { gatherKernels } from './kernels/gather.js';
import { lowPrecisionKernels } from './kernels/low-precision.js';
import { matMulKernels } from './kernels/mat_mul.js';
import { rowKernels } from './kernels/rows.js';

export const NATIVE_KERNELS = [
  ...matMulKernels,
  ...elementwiseKernels,
  ...rowKernels,
  ...gatherKernels,
  ...albertKernels,
  ...attentionKernels,
  ...lowPrecisionKernels,
];

/** Names of the kernels the native backend implements natively (the rest run the cpu kernels). */
export function nativeKernelNames(): string[] {
  return NATIVE_KERNELS.map((k) => k.kernelName);
}

/**
 * Registers the 'native' tfjs backend (Node, Linux x64). Throws a BackendError saying why when
 * the addon is not available (e.g. it could not be compiled at install time).
 */
export async function registerNativeBackend(): Promise<void> {
  if (findBackend('native') != null) return;
  installFastTidyResults();
  const addon = loadNativeAddon();
  registerBackend('native', () => new NativeBackend(addon), 0);
  const native = new Set(nativeKernelNames());
  for (const config of getKernelsForBackend('cpu')) {
    if (native.has(config.kernelName) || getKernel(config.kernelName, 'native') != null) continue;
    registerKernel({ ...config, backendName: 'native' } as KernelConfig);
  }
  for (const { needs, ...config } of NATIVE_KERNELS) {
    if (needs != null && typeof addon[needs] !== 'function') continue; // an older addon build
    if (getKernel(config.kernelName, 'native') == null) registerKernel({ ...config, backendName: 'native' });
  }
  registerAlbertGradients();
}
