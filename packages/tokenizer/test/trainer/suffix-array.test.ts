import { randomFloat, rngFor } from '@albert-ts/common';
import { describe, expect, it } from 'vitest';
import { forEachLcpInterval, permutedLcp, suffixArray } from '../../src/trainer/suffix-array.js';

// Deterministic uniforms in [0, 1) for the random cases, from albert-ts's one seeded generator family.
function lcg(seed: number) {
  const g = rngFor(seed);
  return () => randomFloat(g);
}

function randomText(random: () => number, n: number, k: number): Int32Array {
  const t = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) t[i] = 1 + Math.floor(random() * (k - 1));
  return t; // t[n] = 0: the sentinel
}

function naiveSuffixArray(t: Int32Array): number[] {
  return [...t.keys()].sort((a, b) => {
    for (let d = 0; ; d++) if (t[a + d] !== t[b + d]) return (t[a + d] as number) - (t[b + d] as number);
  });
}

describe('suffix array (SA-IS)', () => {
  it('sorts the suffixes of "banana$"', () => {
    // b=2 a=1 n=3, $=0
    const t = Int32Array.from([2, 1, 3, 1, 3, 1, 0]);
    expect(Array.from(suffixArray(t, 4))).toEqual([6, 5, 3, 1, 0, 4, 2]);
    // LCP in SA order: $, a$, ana$, anana$, banana$, na$, nana$
    const plcp = permutedLcp(t, suffixArray(t, 4));
    const sa = suffixArray(t, 4);
    expect(Array.from(sa, (p) => plcp[p])).toEqual([0, 0, 1, 3, 0, 0, 2]);
  });

  it('equals the naive order on 3000 random texts (alphabets of 2..6, repetitive ones included)', () => {
    const random = lcg(7);
    for (let trial = 0; trial < 3000; trial++) {
      const t = randomText(random, 1 + Math.floor(random() * 60), 2 + Math.floor(random() * 5));
      expect(Array.from(suffixArray(t, 7))).toEqual(naiveSuffixArray(t));
    }
  });

  it('visits exactly the repeated, right-branching substrings with their counts', () => {
    const random = lcg(11);
    for (let trial = 0; trial < 300; trial++) {
      const t = randomText(random, 1 + Math.floor(random() * 30), 2 + Math.floor(random() * 3));
      const sa = suffixArray(t, 5);
      const got = new Set<string>();
      forEachLcpInterval(sa, permutedLcp(t, sa), (depth, lb, rb) => {
        got.add(`${Array.from(t.subarray(sa[lb] as number, (sa[lb] as number) + depth)).join(',')}:${rb - lb + 1}`);
      });
      const count = new Map<string, number>();
      const next = new Map<string, Set<number>>();
      for (let i = 0; i < t.length; i++) {
        for (let j = i + 1; j <= t.length; j++) {
          const s = Array.from(t.subarray(i, j)).join(',');
          count.set(s, (count.get(s) ?? 0) + 1);
          next.set(s, (next.get(s) ?? new Set()).add(j < t.length ? (t[j] as number) : -1));
        }
      }
      const want = new Set<string>();
      for (const [s, c] of count) if (c >= 2 && (next.get(s)?.size ?? 0) >= 2) want.add(`${s}:${c}`);
      expect([...got].sort()).toEqual([...want].sort());
    }
  });
});
