// deriveSeed: the one way albert-ts turns a user's seed into the seed of one named stream.
// A stream is addressed by a path of parts after the seed, e.g. (seed, 'encoder.layer.0.weight')
// for a parameter's initial values or (seed, Stream.mask, epoch, doc, example) for one example's
// masking. Any stream can be rebuilt from its address without replaying the others: that is what
// makes masking per-example, the corpus resumable and each parameter's init independent of the
// others.

/** murmur3's 32-bit finaliser (fmix32): a bijective avalanche mix of a 32-bit word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of `text`: a string part as one 32-bit word. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The seed (int32) of the stream at (seed, ...parts). A number part is a non-negative integer
 * counter (it may exceed 2^32, e.g. a byte offset: both 32-bit words are mixed in); a string part
 * (a name) is hashed with FNV-1a first. No parts: a mix of the seed alone.
 */
export function deriveSeed(seed: number, ...parts: readonly (number | string)[]): number {
  let h = fmix32((seed | 0) ^ 0x9e3779b9);
  for (const part of parts) {
    const value = typeof part === 'string' ? hashString(part) : part;
    const lo = value >>> 0;
    const hi = Math.floor(value / 0x1_0000_0000) >>> 0;
    h = fmix32(h ^ fmix32(lo + 0x7f4a7c15));
    h = fmix32(h ^ fmix32(hi + 0x2545f491));
  }
  return h | 0;
}
