// The machine's fp32 peak, as `pnpm bench gemm` and `pnpm bench backends` compute it: the
// backends package's formula (bench/backends/flops.ts: cores × GHz × 2 FMA units × lanes × 2)
// with the clock measured by the native addon; when the addon can time its own FMA loop
// (peak(), measured per instruction kind), that measured rate is used instead. Imported by path
// from @albert-ts/backends' benchmark and native loader (neither is part of its public API).
import { availableParallelism } from 'node:os';
import { peakGflops } from '../../../backends/bench/backends/flops.js';
import { loadNativeAddon } from '../../../backends/src/native/index.js';

type Measured = { gopsWall: number; gopsCpu: number; threads: number } | null;
type PeakAddon = {
  peak?: (kind: string, threads: number, reps: number, ms: number) => Measured;
  peakKinds?: () => string[];
};

export type Peak = { gflops: number; how: string; formulaGflops: number };

/** fp32 peak over `threads` threads, or null without the native addon (nothing to clock the cpu with). */
export function fp32Peak(threads: number): Peak | null {
  let addon: ReturnType<typeof loadNativeAddon>;
  try {
    addon = loadNativeAddon();
  } catch {
    return null;
  }
  const isa = addon.info().isa;
  const cores = Math.min(threads, availableParallelism());
  const ghz = addon.cpuGhz();
  const formulaGflops = peakGflops(cores, ghz, isa);
  const formula = `${cores} cores × ${ghz.toFixed(2)} GHz × 2 FMA × ${isa === 'avx512' ? 16 : isa === 'avx2' ? 8 : 4} lanes × 2`;
  const p = addon as unknown as PeakAddon;
  const kind = `fp32-${isa === 'baseline' ? 'sse' : isa}`;
  if (typeof p.peak === 'function' && (p.peakKinds?.() ?? []).includes(kind)) {
    const m = p.peak(kind, cores, 5, 50); // operations: 2 per multiply-add
    if (m != null)
      return { gflops: m.gopsWall, how: `measured ${kind} FMA loop on ${m.threads} threads`, formulaGflops };
  }
  return { gflops: formulaGflops, how: formula, formulaGflops };
}
