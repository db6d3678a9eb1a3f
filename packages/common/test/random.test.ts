import { describe, expect, it } from 'vitest';
import {
  DROPOUT_HASH,
  deriveSeed,
  dropoutBits,
  dropoutKeys,
  dropoutThreshold,
  fmix32,
  hashString,
  lowbias32,
  randomFloat,
  randomInt,
  rngFor,
  rngFromState,
  SeededRandom,
  seedWords,
  shuffleInPlace,
} from '../src/index.js';

describe('the mixing functions', () => {
  it('fmix32 is murmur3 fmix32 (values from an independent Python implementation of the finaliser)', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0xdeadbeef)).toBe(0x0de5c6a9);
    expect(fmix32(0xffffffff)).toBe(0x81f16f39);
  });

  it('lowbias32 is Wellons’ lowbias32 (same Python check)', () => {
    expect(lowbias32(0)).toBe(0);
    expect(lowbias32(1)).toBe(0x688990c0);
    expect(lowbias32(0xdeadbeef)).toBe(0xe628c683);
    expect(lowbias32(0xffffffff)).toBe(0x6768824a);
  });

  it('hashString is 32-bit FNV-1a (the FNV reference test vectors)', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });
});

describe('deriveSeed', () => {
  it('gives an int32 that depends on the seed and on every part, in order', () => {
    const seeds = new Set<number>();
    for (const parts of [[], [0], [1], [0, 1], [1, 0], ['a'], ['b'], [2 ** 32], [2 ** 32 + 1]] as (
      | number
      | string
    )[][]) {
      const s = deriveSeed(7, ...parts);
      expect(s).toBe(s | 0);
      expect(deriveSeed(7, ...parts)).toBe(s);
      seeds.add(s);
    }
    expect(seeds.size).toBe(9);
    expect(deriveSeed(7, 'a')).not.toBe(deriveSeed(8, 'a'));
  });

  it('folds the high word of counters past 2^32 (byte offsets) instead of dropping it', () => {
    expect(deriveSeed(1, 5)).not.toBe(deriveSeed(1, 5 + 2 ** 32));
  });
});

describe('the generator', () => {
  // n uniforms: mean 1/2 with sd sqrt(1/12/n); bounds at 5 sd.
  it('rngFor(seed, ...parts) gives uniform floats in [0, 1) with mean 1/2 ± 5σ', () => {
    const n = 100_000;
    const rng = rngFor(3, 'uniform');
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = randomFloat(rng);
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });

  it('randomInt covers [from, to] with each count within 5σ of n/k', () => {
    const n = 60_000;
    const counts = new Array(6).fill(0);
    const rng = rngFor(4);
    for (let i = 0; i < n; i++) counts[randomInt(rng, 1, 6) - 1]++;
    const sd = Math.sqrt((n * (1 / 6) * 5) / 6);
    for (const c of counts) expect(Math.abs(c - n / 6)).toBeLessThan(5 * sd);
  });

  it('resumes exactly from a saved state', () => {
    const a = rngFor(9, 1, 2);
    for (let i = 0; i < 10; i++) randomFloat(a);
    const b = rngFromState(JSON.parse(JSON.stringify([...a.getState()])));
    for (let i = 0; i < 10; i++) expect(randomFloat(b)).toBe(randomFloat(a));
  });

  it('shuffleInPlace permutes, and every position is equally likely (5σ)', () => {
    const n = 20_000;
    const firsts = new Array(4).fill(0);
    const rng = rngFor(5);
    for (let i = 0; i < n; i++) {
      const items = [0, 1, 2, 3];
      shuffleInPlace(rng, items);
      if (i < 100) expect([...items].sort()).toEqual([0, 1, 2, 3]);
      firsts[items[0] as number]++;
    }
    const sd = Math.sqrt(n * 0.25 * 0.75);
    for (const c of firsts) expect(Math.abs(c - n / 4)).toBeLessThan(5 * sd);
  });

  it('SeededRandom(seed, ...parts) is the stream rngFor(seed, ...parts)', () => {
    const r = new SeededRandom(11, 'weights');
    const g = rngFor(11, 'weights');
    for (let i = 0; i < 5; i++) expect(r.uniform()).toBe(randomFloat(g));
  });

  it('SeededRandom normals: mean 0 ± 5σ, variance 1 ± 5σ (var of s² is 2/n)', () => {
    const n = 100_000;
    const rng = new SeededRandom(11);
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.normal();
      sum += v;
      sq += v * v;
    }
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sq / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
});

describe('the dropout counter hash', () => {
  it('keys and bits are the documented formula', () => {
    const [lo, hi] = seedWords(-5);
    expect([lo, hi]).toEqual([2 ** 32 - 5, 2 ** 32 - 1]);
    const [k0, k1] = dropoutKeys(lo, hi);
    expect(k0).toBe(lowbias32((lo ^ 0x9e3779b9) >>> 0));
    expect(k1).toBe(lowbias32((hi + k0 + 0x85ebca6b) >>> 0));
    expect(dropoutBits(3, k0, k1)).toBe(lowbias32((lowbias32((3 ^ k0) >>> 0) + k1) >>> 0) >>> 8);
    expect(DROPOUT_HASH.bits).toBe(24);
  });

  it('threshold is ceil(fround(rate) 2^24), and the kept fraction is 1 - rate ± 5σ', () => {
    expect(dropoutThreshold(0)).toBe(0);
    expect(dropoutThreshold(0.5)).toBe(2 ** 23);
    expect(dropoutThreshold(0.1)).toBe(Math.ceil(Math.fround(0.1) * 2 ** 24));
    const n = 200_000;
    const rate = 0.1;
    const t = dropoutThreshold(rate);
    const [k0, k1] = dropoutKeys(...seedWords(42));
    let kept = 0;
    for (let i = 0; i < n; i++) if (dropoutBits(i, k0, k1) >= t) kept++;
    expect(Math.abs(kept / n - (1 - rate))).toBeLessThan(5 * Math.sqrt((rate * (1 - rate)) / n));
  });
});
