// A double-array trie over UTF-16 code units (Aoe 1989; the layout darts-clone popularised):
// state t is a child of s by label l iff check[t] === s and t === base[s] + l. Code units are
// first mapped to a dense alphabet (labelOf), so the arrays stay small. Lookup is two typed-array
// reads per code unit and allocates nothing, which is what the Viterbi and normalizer hot loops need.

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
    if (units.length > 65535) throw new Error('alphabet too large');
    const labelOf = new Uint16Array(65536);
    units.forEach((c, i) => {
      labelOf[c] = i + 1;
    });

    // 2. pointer trie: children as sorted [label, node] lists
    const children: Map<number, number>[] = [new Map()];
    const nodeValue: number[] = [-1];
    keys.forEach((key, ki) => {
      let n = 0;
      for (let i = 0; i < key.length; i++) {
        const l = labelOf[key.charCodeAt(i)] as number;
        const map = children[n] as Map<number, number>;
        let child = map.get(l);
        if (child === undefined) {
          child = children.length;
          children.push(new Map());
          nodeValue.push(-1);
          map.set(l, child);
        }
        n = child;
      }
      nodeValue[n] = values[ki] as number;
    });

    // 3. place nodes breadth-first, first fit
    let cap = Math.max(1024, children.length * 2);
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
    const queue: [node: number, state: number][] = [[0, 0]];
    let size = 1;
    for (let qi = 0; qi < queue.length; qi++) {
      const [node, state] = queue[qi] as [number, number];
      value[state] = nodeValue[node] as number;
      const kids = [...(children[node] as Map<number, number>).entries()].sort((a, b) => a[0] - b[0]);
      if (kids.length === 0) continue;
      const first = (kids[0] as [number, number])[0];
      const last = (kids[kids.length - 1] as [number, number])[0];
      while (used[firstFree]) firstFree++;
      // first fit over a bounded window, else append at the frontier (darts-clone does the same
      // to keep building linear: a few holes cost less than a quadratic search)
      let b = Math.max(0, firstFree - first);
      for (let tries = 0; ; tries++) {
        if (tries === MAX_FIT_TRIES) {
          b = Math.max(0, size - first);
          grow(b + last + 1);
          break;
        }
        grow(b + last + 1);
        let ok = true;
        for (const [l] of kids) {
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
      for (const [l, child] of kids) {
        const t = b + l;
        used[t] = 1;
        check[t] = state;
        if (t + 1 > size) size = t + 1;
        queue.push([child, t]);
      }
    }
    // pad so that base[s] + label never indexes past the end
    const total = size + units.length + 1;
    grow(total);
    return new DoubleArrayTrie(labelOf, base.slice(0, total), check.slice(0, total), value.slice(0, total));
  }
}
