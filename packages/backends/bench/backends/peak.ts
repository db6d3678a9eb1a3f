// The machine's measured peak (native/src/peak.h): a timed loop of independent multiply-adds per
// instruction on one thread and on all threads at once (thread CPU time, so preemption by other
// processes does not count; SMT siblings share their core's units, which is what the all-thread
// figure shows), and the physical core count from sysfs (SMT siblings counted once).
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { NativeAddon } from '../../src/native/addon.js';

export type PeakKind = 'fp32-avx512' | 'fp32-avx2' | 'int8-vnni' | 'bf16-avx512';
export const PEAK_KINDS: { kind: PeakKind; label: string }[] = [
  { kind: 'fp32-avx512', label: 'fp32 vfmadd231ps zmm' },
  { kind: 'fp32-avx2', label: 'fp32 vfmadd231ps ymm' },
  { kind: 'int8-vnni', label: 'int8 vpdpbusd zmm' },
  { kind: 'bf16-avx512', label: 'bf16 vdpbf16ps zmm' },
];

export interface Topology {
  logical: number;
  /** Distinct thread_siblings_list sets (one per physical core), or null where sysfs has none. */
  physical: number | null;
}

export function topology(): Topology {
  const base = '/sys/devices/system/cpu';
  try {
    const sets = new Set<string>();
    for (const d of readdirSync(base)) {
      if (!/^cpu\d+$/.test(d)) continue;
      try {
        sets.add(readFileSync(`${base}/${d}/topology/thread_siblings_list`, 'utf8').trim());
      } catch {
        // offline cpu
      }
    }
    return { logical: availableParallelism(), physical: sets.size > 0 ? sets.size : null };
  } catch {
    return { logical: availableParallelism(), physical: null };
  }
}

export interface PeakRow {
  kind: PeakKind;
  label: string;
  /** Giga-operations/s (a multiply-add counts 2); null when the CPU lacks the instruction. */
  oneThread: number | null;
  /** On `threads` threads at once; null when not measurable. */
  allThreads: number | null;
}

export function measurePeaks(addon: NativeAddon, threads: number, reps = 5): PeakRow[] {
  return PEAK_KINDS.map(({ kind, label }) => {
    const one = addon.peakOps?.(kind, reps, 1) ?? 0;
    const all = one > 0 ? (addon.peakOps?.(kind, reps, threads) ?? -1) : 0;
    return { kind, label, oneThread: one > 0 ? one : null, allThreads: all > 0 ? all : null };
  });
}

/** The fp32 peak of the native backend's active instruction set on `threads` threads (GFLOP/s). */
export function fp32Peak(rows: PeakRow[], isa: string): number | null {
  const row = rows.find((r) => r.kind === (isa === 'avx512' ? 'fp32-avx512' : 'fp32-avx2'));
  return row?.allThreads ?? row?.oneThread ?? null;
}
