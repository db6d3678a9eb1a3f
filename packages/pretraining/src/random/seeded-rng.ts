// Seeded, counter-derived random generators. Every example, document and epoch gets its own
// independent generator, derived by hashing (seed, purpose, counters…), so any one of them can be
// rebuilt without replaying the others: that is what makes masking "per example" and the corpus
// pipeline resumable. The generator itself is pure-rand's xoroshiro128+ (its state can be saved).
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type { RandomGenerator };

/** Purposes, so that e.g. the masking stream of document 3 never equals its SOP stream. */
export const Stream = { mask: 1, document: 2, shuffle: 3 } as const;

// murmur3's 32-bit finaliser: a bijective avalanche mix.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash a seed and any number of non-negative integer counters into one 32-bit seed. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = fmix32((seed | 0) ^ 0x9e3779b9);
  for (const part of parts) {
    // Counters may exceed 2^32 (byte offsets): fold the high word in too.
    const lo = part >>> 0;
    const hi = Math.floor(part / 0x1_0000_0000) >>> 0;
    h = fmix32(h ^ fmix32(lo + 0x7f4a7c15));
    h = fmix32(h ^ fmix32(hi + 0x2545f491));
  }
  return h | 0;
}

/** An independent generator for (seed, counters…). */
export function rngFor(seed: number, ...parts: number[]): RandomGenerator {
  return xoroshiro128plus(deriveSeed(seed, ...parts));
}

export function rngFromState(state: readonly number[]): RandomGenerator {
  return xoroshiro128plusFromState(state);
}

/** Uniform float in [0, 1), like Python's random.random(). */
export function randomFloat(rng: RandomGenerator): number {
  return uniformFloat64(rng);
}

/** Uniform integer in [from, to], both included, like Python's random.randint(from, to). */
export function randomInt(rng: RandomGenerator, from: number, to: number): number {
  return uniformInt(rng, from, to);
}

/** In-place Fisher–Yates shuffle, like Python's random.shuffle. */
export function shuffleInPlace<T>(rng: RandomGenerator, items: T[] | Int32Array): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t as never;
  }
}
