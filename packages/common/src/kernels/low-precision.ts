// Packed low-precision Linear weights of the AlbertLinearQ8 / AlbertLinearBf16 and
// AlbertSelfAttentionQ8 / AlbertSelfAttentionBf16 kernels (CONTRACTS.md, "Low-precision
// weights"): the one home of the layout. Plain typed arrays, no tensor library; a model packs
// its fp32 weights once at load time and a backend reads them as they are.
//
// The output columns are cut into strips of 16; a strip holds its columns k-major in groups of
// G consecutive k values, so each 64-byte line is 16 columns x G values: one operand of x86's
// vpdpbusd (q8, G = 4 int8) or vdpbf16ps (bf16, G = 2 bf16). As Int32Array words:
//   q8:   word (s * KG + g) * 16 + c, byte r   = q(k = 4g + r, n = 16s + c)     KG = ceil(in / 4)
//   bf16: word (s * KP + p) * 16 + c, half r   = bf16(w(k = 2p + r, n = 16s + c))  KP = ceil(in / 2)
// (little-endian: byte / half 0 is the low one), zero past `in` and past `out`.
import { AlbertError } from '../errors.js';

/** A weight that cannot be packed (wrong size for the dimensions given). */
export class LowPrecisionError extends AlbertError {}

/** Columns per strip of the packed layouts. */
export const LOW_PRECISION_STRIP = 16;

/** Storage of a Linear layer's weight in a low-precision model. */
export type LowPrecisionDtype = 'q8' | 'bf16';

/** An int8 weight, per output channel symmetric: w(k, n) ≈ scale[n] · q(k, n), q ∈ [-127, 127]. */
export interface Q8Weight {
  inDim: number;
  outDim: number;
  /** ceil(out/16) · ceil(in/4) · 16 words of 4 int8 (layout above). */
  weight: Int32Array;
  /** ceil(out/16) · 16 values, 0 past `out`. */
  scale: Float32Array;
  /** Σ_k q(k, n), ceil(out/16) · 16 values (the zero-point correction of u8 activations). */
  colSum: Int32Array;
}

/** A bfloat16 weight (round to nearest even). */
export interface Bf16Weight {
  inDim: number;
  outDim: number;
  /** ceil(out/16) · ceil(in/2) · 16 words of 2 bf16 (layout above). */
  weight: Int32Array;
}

function checkWeight(what: string, weight: ArrayLike<number>, inDim: number, outDim: number): void {
  if (
    !Number.isInteger(inDim) ||
    !Number.isInteger(outDim) ||
    inDim < 1 ||
    outDim < 1 ||
    weight.length !== inDim * outDim
  ) {
    throw new LowPrecisionError(
      `${what}: the weight has ${weight.length} values but [in ${inDim}, out ${outDim}] needs ${inDim * outDim}; pass the Linear weight stored [in, out] and its two positive dimensions.`,
    );
  }
}

/**
 * Quantizes a Linear weight stored [in, out] row-major to int8, one symmetric scale per output
 * column (max |w| / 127; an all-zero column gets scale 0). Rounds to nearest, ties to even.
 */
export function quantizeQ8(weight: ArrayLike<number>, inDim: number, outDim: number): Q8Weight {
  checkWeight('quantizeQ8', weight, inDim, outDim);
  const strips = Math.ceil(outDim / LOW_PRECISION_STRIP);
  const groups = Math.ceil(inDim / 4);
  const scale = new Float32Array(strips * LOW_PRECISION_STRIP);
  const colSum = new Int32Array(strips * LOW_PRECISION_STRIP);
  const packed = new Int32Array(strips * groups * LOW_PRECISION_STRIP);
  const bytes = new Int8Array(packed.buffer);
  const maxAbs = new Float64Array(outDim);
  for (let k = 0; k < inDim; k++) {
    for (let n = 0; n < outDim; n++) {
      const a = Math.abs(weight[k * outDim + n] as number);
      if (a > (maxAbs[n] as number)) maxAbs[n] = a;
    }
  }
  const inv = new Float64Array(outDim);
  for (let n = 0; n < outDim; n++) {
    const s = Math.fround((maxAbs[n] as number) / 127);
    scale[n] = s;
    inv[n] = s > 0 ? 1 / s : 0;
  }
  for (let k = 0; k < inDim; k++) {
    const g = k >> 2;
    const r = k & 3;
    for (let n = 0; n < outDim; n++) {
      const v = (weight[k * outDim + n] as number) * (inv[n] as number);
      const q = Math.max(-127, Math.min(127, roundHalfEven(v)));
      const s = (n / LOW_PRECISION_STRIP) | 0;
      const c = n % LOW_PRECISION_STRIP;
      bytes[((s * groups + g) * LOW_PRECISION_STRIP + c) * 4 + r] = q;
      colSum[n] = (colSum[n] as number) + q;
    }
  }
  return { inDim, outDim, weight: packed, scale, colSum };
}

/** The int8 value of (k, n) in a packed q8 weight (for references and tests). */
export function q8At(w: Q8Weight, k: number, n: number): number {
  const groups = Math.ceil(w.inDim / 4);
  const s = (n / LOW_PRECISION_STRIP) | 0;
  const bytes = new Int8Array(w.weight.buffer, w.weight.byteOffset, w.weight.byteLength);
  return bytes[((s * groups + (k >> 2)) * LOW_PRECISION_STRIP + (n % LOW_PRECISION_STRIP)) * 4 + (k & 3)] as number;
}

/** fp32 → bf16 bits, round to nearest even (NaN stays NaN). */
export function toBf16Bits(x: number): number {
  f32[0] = x;
  const u = u32[0] as number;
  if ((u & 0x7fffffff) > 0x7f800000) return ((u >>> 16) | 0x40) & 0xffff;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/** bf16 bits → the number it holds. */
export function fromBf16Bits(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0] as number;
}

/** Packs a Linear weight stored [in, out] row-major as bf16 (round to nearest even). */
export function packBf16(weight: ArrayLike<number>, inDim: number, outDim: number): Bf16Weight {
  checkWeight('packBf16', weight, inDim, outDim);
  const strips = Math.ceil(outDim / LOW_PRECISION_STRIP);
  const pairs = Math.ceil(inDim / 2);
  const packed = new Int32Array(strips * pairs * LOW_PRECISION_STRIP);
  const halves = new Uint16Array(packed.buffer);
  for (let k = 0; k < inDim; k++) {
    const p = k >> 1;
    const r = k & 1;
    for (let n = 0; n < outDim; n++) {
      const s = (n / LOW_PRECISION_STRIP) | 0;
      const c = n % LOW_PRECISION_STRIP;
      halves[((s * pairs + p) * LOW_PRECISION_STRIP + c) * 2 + r] = toBf16Bits(weight[k * outDim + n] as number);
    }
  }
  return { inDim, outDim, weight: packed };
}

/** Concatenates weights stored [in, out_i] along the output axis into [in, Σ out_i] (the fused Q/K/V). */
export function concatColumns(parts: ArrayLike<number>[], inDim: number): Float32Array {
  const outs = parts.map((p) => p.length / inDim);
  const total = outs.reduce((a, b) => a + b, 0);
  const out = new Float32Array(inDim * total);
  for (let k = 0; k < inDim; k++) {
    let o = k * total;
    parts.forEach((p, i) => {
      const n = outs[i] as number;
      for (let j = 0; j < n; j++) out[o + j] = p[k * n + j] as number;
      o += n;
    });
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
