// The generator of every seeded stream in albert-ts: pure-rand's xoroshiro128+ (Blackman & Vigna
// 2018; 128-bit state, period 2^128 - 1), seeded from deriveSeed(seed, ...parts). Its state is
// four int32 words, so a stream can be saved and resumed exactly (rngFromState). Uniform floats
// use 53 random bits; integers are unbiased (pure-rand's uniformInt).
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { deriveSeed } from './derive-seed.js';

export type { RandomGenerator };

/** The stream at (seed, ...parts): see deriveSeed for what a part is. */
export function rngFor(seed: number, ...parts: readonly (number | string)[]): RandomGenerator {
  return xoroshiro128plus(deriveSeed(seed, ...parts));
}

/** A stream resumed from `rng.getState()` (four int32 words, JSON-serialisable). */
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

/** A full-range int32 (e.g. the seed of a dropout mask). */
export function randomInt32(rng: RandomGenerator): number {
  return rng.next() | 0;
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

/** The stream at (seed, ...parts) as an object, with normals (Box-Muller, both values used). */
export class SeededRandom {
  private readonly rng: RandomGenerator;
  private spare: number | null = null;

  constructor(seed: number, ...parts: readonly (number | string)[]) {
    this.rng = rngFor(seed, ...parts);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  /** A full-range int32, e.g. a seed for a child stream or a dropout mask. */
  int32(): number {
    return randomInt32(this.rng);
  }

  /** Standard normal. */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    const u1 = 1 - this.uniform(); // (0, 1]
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** `n` uniforms in [lo, hi) as float32 (e.g. test inputs). */
  uniforms(n: number, lo = 0, hi = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }
}
