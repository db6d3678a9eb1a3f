// Which instruction path each engine's products run on. Ours: what the native addon reports
// (native/src/lowp.h). ONNX Runtime does not report it; MLAS picks its int8 GEMM by cpuid
// (AMX tiles, then AVX-512 VNNI / AVX-VNNI, then AVX2 vpmaddubsw; fp32: AVX-512F, then
// AVX2/FMA), so the path is inferred here from /proc/cpuinfo the same way.
import { readFileSync } from 'node:fs';
import { loadNativeAddon } from '../../src/native/addon.js';

export function cpuFlags(): Set<string> {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('flags'));
    return new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
  } catch {
    return new Set();
  }
}

/** The native addon's low-precision path, named by its instruction. */
export function lowPrecisionIsa(dtype: 'q8' | 'bf16'): string {
  const info = loadNativeAddon().info();
  const path = dtype === 'q8' ? info.q8Path : info.bf16Path;
  if (path === 'avx512') return dtype === 'q8' ? 'avx512 vnni (vpdpbusd)' : 'avx512 bf16 (vdpbf16ps)';
  if (path === 'avx2') return dtype === 'q8' ? 'avx2 (vpmaddwd, exact)' : 'avx2 (bf16→fp32 fma)';
  return path ?? 'unknown';
}

/** ONNX Runtime's likely GEMM path on this CPU (inferred from the flags, see above). */
export function ortIsa(int8: boolean): string {
  const f = cpuFlags();
  if (!int8) return f.has('avx512f') ? 'avx512f (inferred)' : f.has('avx2') ? 'avx2 (inferred)' : 'sse (inferred)';
  if (f.has('amx_int8') && f.has('amx_tile')) return 'amx (inferred)';
  if (f.has('avx512_vnni')) return 'avx512 vnni (inferred)';
  if (f.has('avx_vnni')) return 'avx-vnni (inferred)';
  return f.has('avx2') ? 'avx2 vpmaddubsw (inferred)' : 'sse (inferred)';
}
