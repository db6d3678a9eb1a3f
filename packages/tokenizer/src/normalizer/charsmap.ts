// SentencePiece's precompiled character map (NormalizerSpec.precompiled_charsmap).
//
// Layout (facts from sentencepiece/src/normalizer.cc): a little-endian uint32 trie size in bytes,
// then a darts-clone double array of uint32 units keyed by UTF-8 bytes, then a blob of
// NUL-terminated normalized strings; a key's value is the byte offset of its replacement in that
// blob. darts-clone unit fields: has_leaf = bit 8, value = low 31 bits, label = unit & 0x800000ff,
// offset = (unit >>> 10) << ((unit & 0x200) >>> 6).
//
// We walk the double array once, collect every (key, replacement) rule, and rebuild a trie over
// UTF-16 code units. Every key is whole UTF-8 characters, so longest match over bytes and longest
// match over code points pick the same rule.

import { ModelFormatError } from '../errors.js';

const MAX_KEY_BYTES = 256;
// darts-clone shares suffixes (a DAG), so we count paths, not units; a bound stops corrupt cycles.
const MAX_VISITS = 1 << 22;

export interface CharsMapRule {
  /** the source text the rule matches */
  from: string;
  /** what it is replaced with (may be empty: the text is removed) */
  to: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes the rules of a precompiled charsmap. Throws ModelFormatError when it is malformed. */
export function decodeCharsMap(blob: Uint8Array): CharsMapRule[] {
  if (blob.length <= 4) throw new ModelFormatError(`precompiled_charsmap is too short (${blob.length} bytes)`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const trieBytes = view.getUint32(0, true);
  if (trieBytes >= blob.length - 4 + 1 || trieBytes % 4 !== 0 || trieBytes === 0) {
    throw new ModelFormatError(
      `precompiled_charsmap: trie size ${trieBytes} does not fit in the ${blob.length}-byte blob`,
    );
  }
  const nUnits = trieBytes / 4;
  const units = new Uint32Array(nUnits);
  for (let i = 0; i < nUnits; i++) units[i] = view.getUint32(4 + 4 * i, true);
  const strings = blob.subarray(4 + trieBytes);

  const offsetOf = (u: number) => (u >>> 10) << ((u & 0x200) >>> 6);
  const hasLeaf = (u: number) => ((u >>> 8) & 1) === 1;
  const labelOf = (u: number) => (u & 0x800000ff) >>> 0;

  const replacementCache = new Map<number, string>();
  const replacement = (at: number): string => {
    let s = replacementCache.get(at);
    if (s !== undefined) return s;
    if (at >= strings.length) throw new ModelFormatError(`precompiled_charsmap: replacement offset ${at} out of range`);
    let end = at;
    while (end < strings.length && strings[end] !== 0) end++;
    try {
      s = utf8.decode(strings.subarray(at, end));
    } catch {
      throw new ModelFormatError(`precompiled_charsmap: replacement at ${at} is not valid UTF-8`);
    }
    replacementCache.set(at, s);
    return s;
  };

  const rules: CharsMapRule[] = [];
  const key = new Uint8Array(MAX_KEY_BYTES);
  // pre-order DFS over (node id, depth); a node's children are at base ^ c for labels c = 1..255.
  // key[depth - 1] is the label of the node being visited; its ancestors' labels are below it.
  const stack: number[] = [0, 0];
  let visited = 0;
  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const id = stack.pop() as number;
    if (++visited > MAX_VISITS) throw new ModelFormatError('precompiled_charsmap: trie too large or cyclic');
    const unit = units[id] as number;
    if (depth > 0) key[depth - 1] = unit & 0xff;
    const base = id ^ offsetOf(unit);
    if (hasLeaf(unit) && depth > 0) {
      if (base >= nUnits) throw new ModelFormatError('precompiled_charsmap: leaf index out of range');
      let from: string;
      try {
        from = utf8.decode(key.subarray(0, depth));
      } catch {
        throw new ModelFormatError('precompiled_charsmap: a key is not valid UTF-8');
      }
      rules.push({ from, to: replacement((units[base] as number) & 0x7fffffff) });
    }
    if (depth >= MAX_KEY_BYTES) throw new ModelFormatError('precompiled_charsmap: key longer than 256 bytes');
    for (let c = 255; c >= 1; c--) {
      const child = base ^ c;
      if (child >= nUnits || child === id) continue;
      if (labelOf(units[child] as number) !== c) continue;
      stack.push(child, depth + 1);
    }
  }
  return rules;
}

/**
 * The charsmap used in place, without rebuilding anything: the darts-clone array is walked with the
 * UTF-8 bytes of each input code point, computed on the fly, so loading costs one copy.
 */
export class PrecompiledCharsMap {
  private readonly units: Uint32Array;
  private readonly strings: Uint8Array;
  private readonly root: number;
  private readonly cache = new Map<number, string>();
  /** per ASCII code: 1 if some rule starts with it */
  readonly asciiStartsRule: Uint8Array;

  constructor(blob: Uint8Array) {
    if (blob.length <= 4) throw new ModelFormatError(`precompiled_charsmap is too short (${blob.length} bytes)`);
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieBytes = view.getUint32(0, true);
    if (trieBytes === 0 || trieBytes % 4 !== 0 || trieBytes > blob.length - 4) {
      throw new ModelFormatError(
        `precompiled_charsmap: trie size ${trieBytes} does not fit in the ${blob.length}-byte blob`,
      );
    }
    const n = trieBytes / 4;
    this.units = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.units[i] = view.getUint32(4 + 4 * i, true);
    this.strings = blob.slice(4 + trieBytes);
    this.root = offsetOf(this.units[0] as number);
    this.asciiStartsRule = new Uint8Array(128);
    this.asciiLonger = new Uint8Array(128);
    for (let c = 1; c < 128; c++) {
      const node = this.root ^ c;
      if (node >= n || labelOf(this.units[node] as number) !== c) continue;
      this.asciiStartsRule[c] = 1;
      const next = node ^ offsetOf(this.units[node] as number);
      for (let b = 1; b < 256; b++) {
        const child = next ^ b;
        if (child < n && labelOf(this.units[child] as number) === b) {
          // 1: longer rules continue with non-ASCII only; 2: some continue with ASCII
          this.asciiLonger[c] = Math.max(this.asciiLonger[c] as number, b < 0x80 ? 2 : 1);
        }
      }
    }
  }

  /** per ASCII code: 0 no longer rule; 1 longer rules, all continuing with non-ASCII; 2 otherwise */
  readonly asciiLonger: Uint8Array;

  /**
   * Longest (or, with `shortest`, shortest) rule matching units[pos, len): returns the number of
   * UTF-16 units it consumes (0 when none matches) and leaves its replacement in `this.match`.
   */
  match = '';
  longestMatch(input: Uint16Array, pos: number, len: number, shortest = false): number {
    const units = this.units;
    const n = units.length;
    let node = this.root;
    let best = 0;
    let bestValue = -1;
    let i = pos;
    outer: while (i < len) {
      let cp = input[i] as number;
      let w = 1;
      if (cp >= 0xd800 && cp <= 0xdfff) {
        if (cp > 0xdbff || i + 1 >= len) break;
        const d = input[i + 1] as number;
        if (d < 0xdc00 || d > 0xdfff) break;
        cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        w = 2;
      }
      // UTF-8 bytes of cp, most significant first
      let nbytes: number;
      let b0: number;
      if (cp < 0x80) {
        nbytes = 1;
        b0 = cp;
      } else if (cp < 0x800) {
        nbytes = 2;
        b0 = 0xc0 | (cp >> 6);
      } else if (cp < 0x10000) {
        nbytes = 3;
        b0 = 0xe0 | (cp >> 12);
      } else {
        nbytes = 4;
        b0 = 0xf0 | (cp >> 18);
      }
      let u = 0;
      for (let k = 0; k < nbytes; k++) {
        const b = k === 0 ? b0 : 0x80 | ((cp >> (6 * (nbytes - 1 - k))) & 0x3f);
        node ^= b;
        if (node >= n) break outer;
        u = units[node] as number;
        if (labelOf(u) !== b) break outer;
        node ^= offsetOf(u);
      }
      i += w;
      if (hasLeaf(u)) {
        if (node >= n) break;
        best = i - pos;
        bestValue = (units[node] as number) & 0x7fffffff;
        if (shortest) break;
      }
    }
    if (best > 0) this.match = this.replacement(bestValue);
    return best;
  }

  private replacement(at: number): string {
    let s = this.cache.get(at);
    if (s !== undefined) return s;
    const strings = this.strings;
    if (at >= strings.length) throw new ModelFormatError(`precompiled_charsmap: replacement offset ${at} out of range`);
    let end = at;
    while (end < strings.length && strings[end] !== 0) end++;
    try {
      s = utf8.decode(strings.subarray(at, end));
    } catch {
      throw new ModelFormatError(`precompiled_charsmap: replacement at ${at} is not valid UTF-8`);
    }
    this.cache.set(at, s);
    return s;
  }
}

function offsetOf(u: number): number {
  return ((u >>> 10) << ((u & 0x200) >>> 6)) >>> 0;
}
function hasLeaf(u: number): boolean {
  return ((u >>> 8) & 1) === 1;
}
function labelOf(u: number): number {
  return (u & 0x800000ff) >>> 0;
}
