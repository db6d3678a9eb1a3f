// The dropout mask's counter-based hash. The fused `AlbertDropout` kernel does not draw random
// numbers: element i of a mask with seed s is kept when
//
//   k0 = lowbias32(lo32(s) ^ 0x9e3779b9)
//   k1 = lowbias32(hi32(s) + k0 + 0x85ebca6b)
//   bits(i) = lowbias32(lowbias32(i ^ k0) + k1) >>> 8        (24 uniform bits)
//   keep(i) = bits(i) >= ceil(fround(rate) · 2^24)
//
// (all arithmetic mod 2^32), so the gradient rebuilds the mask from the seed instead of saving it
// and every thread computes its own elements. The native addon computes the same thing in C++
// (packages/backends/native/src/ops.cc and ops.inc, `mix32`); a backends test checks that the
// constants there are these. lowbias32 is Chris Wellons' "hash prospector" 32-bit finaliser.

/** The constants of the hash, shared with the C++ implementation. */
export const DROPOUT_HASH = {
  /** lowbias32's two multipliers. */
  mul1: 0x7feb352d,
  mul2: 0x846ca68b,
  /** Added to the seed's low word (k0) and to the high word plus k0 (k1). */
  key0: 0x9e3779b9,
  key1: 0x85ebca6b,
  /** Random bits per element (the uniform is bits / 2^24). */
  bits: 24,
} as const;

/** lowbias32: x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16. */
export function lowbias32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, DROPOUT_HASH.mul1);
  h ^= h >>> 15;
  h = Math.imul(h, DROPOUT_HASH.mul2);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The two 32-bit words of a seed (any safe integer; negative ones too: int32 seeds are common). */
export function seedWords(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0];
}

/** The mask's keys (k0, k1) for a seed given as its two 32-bit words. */
export function dropoutKeys(seedLo: number, seedHi: number): [number, number] {
  const k0 = lowbias32((seedLo ^ DROPOUT_HASH.key0) >>> 0);
  const k1 = lowbias32((seedHi + k0 + DROPOUT_HASH.key1) >>> 0);
  return [k0, k1];
}

/** The 24 random bits of element `i` under keys (k0, k1). */
export function dropoutBits(i: number, k0: number, k1: number): number {
  return lowbias32((lowbias32((i ^ k0) >>> 0) + k1) >>> 0) >>> 8;
}

/** Elements whose bits are below this are dropped: ceil(fround(rate) · 2^24), clamped. */
export function dropoutThreshold(rate: number): number {
  const one = 2 ** DROPOUT_HASH.bits;
  return Math.min(one, Math.max(0, Math.ceil(Math.fround(rate) * one)));
}
