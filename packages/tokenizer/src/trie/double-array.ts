// A double-array trie over UTF-16 code units (Aoe 1989; the layout darts-clone popularised):
// state t is a child of s by label l iff check[t] === s and t === base[s] + l. Code units are
// first mapped to a dense alphabet (labelOf), so the arrays stay small. Lookup is two typed-array
// reads per code unit and allocates nothing, which is what the Viterbi and normalizer hot loops need.

import { TokenizerInputError } from '../errors.js';

const MAX_FIT_TRIES = 256;

export class DoubleArrayTrie {
  /** code unit -> label (1..alphabetSize), 0 = no key contains this code unit */
  readonly labelOf: Uint16Array;
  readonly base: Int32Array;
  readonly check: Int32Array;
  /** value of the key ending at a state, -1 when no key ends there */
  readonly value: Int32Array;

  private constructor(labelOf: Uint16Array, base: Int32Array, check: Int32Array, value: Int32Array) {
    this.labelOf = labelOf;
    this.base = base;
    this.check = check;
    this.value = value;
  }

  /** The state reached from `state` by code unit `c`, or -1. The root is state 0. */
  next(state: number, c: number): number {
    const l = this.labelOf[c] as number;
    if (l === 0) return -1;
    const t = (this.base[state] as number) + l;
    return this.check[t] === state ? t : -1;
  }

  /** Value of `key` if it is in the trie exactly, else -1. */
  get(key: string): number {
    let s = 0;
    for (let i = 0; i < key.length && s >= 0; i++) s = this.next(s, key.charCodeAt(i));
    return s < 0 ? -1 : (this.value[s] as number);
  }

  /** Builds a trie from keys (non-empty strings, no duplicates) and their non-negative values. */
  static build(keys: readonly string[], values: readonly number[]): DoubleArrayTrie {
    // 1. dense alphabet, most frequent first (keeps bases small)
    const freq = new Int32Array(65536);
    for (const k of keys) for (let i = 0; i < k.length; i++) (freq[k.charCodeAt(i)] as number)++;
    const units: number[] = [];
    for (let c = 0; c < 65536; c++) if ((freq[c] as number) > 0) units.push(c);
    units.sort((a, b) => (freq[b] as number) - (freq[a] as number) || a - b);
    if (units.length > 65535) {
      throw new TokenizerInputError(
        'the trie keys use all 65536 UTF-16 code units; at most 65535 distinct ones fit its alphabet: drop a key with an unused code unit',
      );
    }
    const labelOf = new Uint16Array(65536);
    units.forEach((c, i) => {
      labelOf[c] = i + 1;
    });

    // 2. keys sorted by code units: the keys below a node are a contiguous range
    // (the default sort compares UTF-16 code units, natively)
    const valueByKey = new Map<string, number>();
    keys.forEach((k, i) => {
      valueByKey.set(k, values[i] as number);
    });
    const sorted = [...valueByKey.keys()].sort();
    const sortedValues = sorted.map((k) => valueByKey.get(k) as number);

    // 3. place nodes depth-first, first fit over a bounded window
    let cap = Math.max(1024, keys.length * 4);
    let base = new Int32Array(cap);
    let check = new Int32Array(cap).fill(-1);
    let value = new Int32Array(cap).fill(-1);
    let used = new Uint8Array(cap);
    const grow = (need: number) => {
      if (need < cap) return;
      let next = cap;
      while (next <= need) next *= 2;
      const b = new Int32Array(next);
      b.set(base);
      const c = new Int32Array(next).fill(-1);
      c.set(check);
      const v = new Int32Array(next).fill(-1);
      v.set(value);
      const u = new Uint8Array(next);
      u.set(used);
      base = b;
      check = c;
      value = v;
      used = u;
      cap = next;
    };
    used[0] = 1;
    let firstFree = 1;
    let size = 1;
    // tasks: (state, lo, hi, depth): sorted[lo, hi) share their first `depth` units and end at `state`
    const tasks: number[] = [0, 0, sorted.length, 0];
    const labels: number[] = [];
    const bounds: number[] = [];
    while (tasks.length > 0) {
      const depth = tasks.pop() as number;
      const hi = tasks.pop() as number;
      let lo = tasks.pop() as number;
      const state = tasks.pop() as number;
      if (lo < hi && (sorted[lo] as string).length === depth) {
        value[state] = sortedValues[lo] as number;
        lo++;
      }
      if (lo >= hi) continue;
      labels.length = 0;
      bounds.length = 0;
      for (let i = lo; i < hi; ) {
        const c = (sorted[i] as string).charCodeAt(depth);
        let j = i + 1;
        while (j < hi && (sorted[j] as string).charCodeAt(depth) === c) j++;
        labels.push(labelOf[c] as number);
        bounds.push(i, j);
        i = j;
      }
      let first = labels[0] as number;
      let last = first;
      for (const l of labels) {
        if (l < first) first = l;
        if (l > last) last = l;
      }
      while (used[firstFree]) firstFree++;
      let b = Math.max(0, firstFree - first);
      for (let tries = 0; ; tries++) {
        if (tries === MAX_FIT_TRIES) {
          b = Math.max(0, size - first);
          grow(b + last + 1);
          break;
        }
        grow(b + last + 1);
        let ok = true;
        for (const l of labels) {
          if (used[b + l]) {
            ok = false;
            break;
          }
        }
        if (ok) break;
        b++;
        while (used[b + first]) b++;
      }
      base[state] = b;
      for (let k = 0; k < labels.length; k++) {
        const t = b + (labels[k] as number);
        used[t] = 1;
        check[t] = state;
        if (t + 1 > size) size = t + 1;
        tasks.push(t, bounds[2 * k] as number, bounds[2 * k + 1] as number, depth + 1);
      }
    }
    // pad so that base[s] + label never indexes past the end
    const total = size + units.length + 1;
    grow(total);
    return new DoubleArrayTrie(labelOf, base.slice(0, total), check.slice(0, total), value.slice(0, total));
  }
}
