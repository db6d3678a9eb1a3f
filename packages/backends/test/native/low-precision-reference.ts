// Independent references of the low-precision linear layers (native/src/lowp.h's math, written
// from the documented formulas in double precision with explicit fp32 roundings), and the
// paths this CPU should offer according to /proc/cpuinfo (not the addon's own detection).
import { readFileSync } from 'node:fs';
import { type Bf16Weight, fromBf16Bits, type Q8Weight, q8At, toBf16Bits } from '@albert-ts/common';

const fr = Math.fround;
const roundEven = (v: number) => {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** y = x · W (no bias, no activation) with per-row u8 activations, as lowp.h specifies. */
export function q8Reference(x: Float32Array, m: number, w: Q8Weight): Float32Array {
  const { inDim: k, outDim: n } = w;
  const y = new Float32Array(m * n);
  const q = new Int32Array(k);
  const wq = new Int32Array(k * n);
  for (let kk = 0; kk < k; kk++) for (let j = 0; j < n; j++) wq[kk * n + j] = q8At(w, kk, j);
  for (let i = 0; i < m; i++) {
    let lo = 0;
    let hi = 0;
    for (let j = 0; j < k; j++) {
      lo = Math.min(lo, x[i * k + j] as number);
      hi = Math.max(hi, x[i * k + j] as number);
    }
    let sa = fr(fr(hi - lo) / 255);
    if (!(sa > 0)) sa = 1;
    const inv = fr(1 / sa);
    const za = Math.min(255, Math.max(0, roundEven(fr(-lo * inv))));
    for (let j = 0; j < k; j++)
      q[j] = Math.min(255 - za, Math.max(-za, roundEven(fr((x[i * k + j] as number) * inv)))) + za;
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let kk = 0; kk < k; kk++) acc += (q[kk] as number) * (wq[kk * n + j] as number);
      const d = acc - za * (w.colSum[j] as number);
      y[i * n + j] = fr(fr(d) * fr(sa * (w.scale[j] as number)));
    }
  }
  return y;
}

/** y = x · W with x rounded to bf16 and vdpbf16ps's summation order (odd k first, then even). */
export function bf16Reference(x: Float32Array, m: number, w: Bf16Weight): Float32Array {
  const { inDim: k, outDim: n } = w;
  const strips = Math.ceil(n / 16);
  const pairs = Math.ceil(k / 2);
  const halves = new Uint16Array(w.weight.buffer, w.weight.byteOffset, w.weight.length * 2);
  const wAt = (kk: number, j: number) =>
    kk >= k ? 0 : fromBf16Bits(halves[(((j >> 4) * pairs + (kk >> 1)) * 16 + (j & 15)) * 2 + (kk & 1)] as number);
  void strips;
  const y = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    const a = (kk: number) => (kk >= k ? 0 : fromBf16Bits(toBf16Bits(x[i * k + kk] as number)));
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < pairs; p++) {
        acc = fr(acc + a(2 * p + 1) * wAt(2 * p + 1, j));
        acc = fr(acc + a(2 * p) * wAt(2 * p, j));
      }
      y[i * n + j] = acc;
    }
  }
  return y;
}

/** The low-precision paths /proc/cpuinfo says this CPU can run (Linux x64; scalar everywhere). */
export function cpuinfoPaths(): { q8: string[]; bf16: string[] } {
  let flags = new Set<string>();
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('flags'));
    flags = new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
  } catch {
    // not Linux: only the scalar path is certain
  }
  const avx2 = flags.has('avx2') && flags.has('fma');
  const avx512 =
    avx2 && flags.has('avx512f') && flags.has('avx512dq') && flags.has('avx512bw') && flags.has('avx512vl');
  return {
    q8: ['scalar', ...(avx2 ? ['avx2'] : []), ...(avx512 && flags.has('avx512_vnni') ? ['avx512'] : [])],
    bf16: ['scalar', ...(avx2 ? ['avx2'] : []), ...(avx512 && flags.has('avx512_bf16') ? ['avx512'] : [])],
  };
}
