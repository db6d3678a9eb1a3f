// The machine's fp32 peak, as `pnpm bench gemm` and `pnpm bench backends` measure it
// (@albert-ts/backends' bench/backends/peak.ts: a timed loop of independent FMAs of the native
// addon's active instruction set on all threads at once). Imported by path from the backends
// benchmark and native loader (neither is part of its public API).
import { availableParallelism } from 'node:os';
import { fp32Peak as measuredFp32, measurePeaks } from '../../../backends/bench/backends/peak.js';
import { loadNativeAddon } from '../../../backends/src/native/index.js';

export type Peak = { gflops: number; how: string };

/** fp32 peak over `threads` threads, or null without the native addon (nothing to measure it with). */
export function fp32Peak(threads: number): Peak | null {
  let addon: ReturnType<typeof loadNativeAddon>;
  try {
    addon = loadNativeAddon();
  } catch {
    return null;
  }
  const isa = addon.info().isa;
  const cores = Math.min(threads, availableParallelism());
  const gflops = measuredFp32(measurePeaks(addon, cores), isa);
  if (gflops == null) return null;
  return { gflops, how: `measured ${isa} FMA loop on ${cores} threads` };
}
