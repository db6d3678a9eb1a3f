// The machine's measured peak: a timed loop of independent multiply-adds per instruction set,
// run on one thread (thread CPU time, so a preempted thread does not count) — fp32 FMA
// (vfmadd231ps, AVX-512 zmm / AVX2 ymm), int8 vpdpbusd (AVX-512 VNNI zmm, four u8 x s8 products
// per int32 lane) and bf16 vdpbf16ps (two bf16 products per fp32 lane). The benchmark runs it on
// every thread at once to get the machine's figure (SMT siblings share the units).
#pragma once

namespace albert {

// What peak_ops measures; each returns 0 when the CPU cannot run it.
enum class PeakKind { kFp32Avx512 = 0, kFp32Avx2 = 1, kInt8Vnni512 = 2, kBf16Avx512 = 3 };

// Giga-operations per second of this thread (a multiply-add counts 2), best of `reps` runs of
// ~20 ms. Ops: fp32 flops, int8 or bf16 multiply-adds x 2.
double peak_ops(PeakKind kind, int reps);

// The same on `threads` pool threads at once (each measuring its own CPU time), summed: the
// machine's rate with SMT siblings sharing their core's units; -1 when the pool could not run
// the loops on distinct threads at the same time.
double peak_ops_parallel(PeakKind kind, int reps, int threads);

}  // namespace albert
