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
import { DoubleArrayTrie } from '../trie/double-array.js';

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
