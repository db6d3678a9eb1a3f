// SentencePiece's normalizer, rule for rule (behaviour from sentencepiece/src/normalizer.cc):
//  - at each position, a user-defined symbol (longest) is copied unchanged; otherwise the longest
//    charsmap rule applies; otherwise one character is copied;
//  - remove_extra_whitespaces: leading spaces are dropped, a space after a space is dropped,
//    trailing spaces are dropped (all judged on the normalized output, so a tab mapped to " " counts);
//  - add_dummy_prefix: a space is put in front (or behind, with treat_whitespace_as_suffix);
//  - escape_whitespaces: every space becomes U+2581 "▁".
// Offsets: each output unit keeps the original range of the input it came from. Input removed by a
// rule is added to the previous output unit's range (SentencePiece attributes it the same way);
// whitespace that is dropped extends the preceding ▁, except at the ends of the text. The dummy
// prefix stands for no input: it gets an empty range at the start of the first character.

import type { NormalizerSpec, TrainerSpec } from '../model/model-proto.js';
import { DoubleArrayTrie } from '../trie/double-array.js';
import { AlignedText } from './aligned.js';
import { PrecompiledCharsMap } from './charsmap.js';

export const SPACE_SYMBOL = 0x2581; // ▁
const SPACE = 0x20;

export class SentencePieceNormalizer {
  readonly addDummyPrefix: boolean;
  readonly removeExtraWhitespaces: boolean;
  readonly escapeWhitespaces: boolean;
  readonly treatWhitespaceAsSuffix: boolean;
  readonly charsMap: PrecompiledCharsMap | null;
  private readonly userSymbols: DoubleArrayTrie | null;
  private readonly userSymbolStart: Uint8Array | null;
  private readonly scratch = new AlignedText();
  /** per ASCII code: what one step makes of it when that is just itself (-1: use the general path) */
  private readonly asciiSelf: Int8Array;

  constructor(spec: NormalizerSpec, trainerSpec: TrainerSpec = {}, userDefinedSymbols: readonly string[] = []) {
    this.addDummyPrefix = spec.addDummyPrefix ?? true;
    this.removeExtraWhitespaces = spec.removeExtraWhitespaces ?? true;
    this.escapeWhitespaces = spec.escapeWhitespaces ?? true;
    this.treatWhitespaceAsSuffix = trainerSpec.treatWhitespaceAsSuffix ?? false;
    const blob = spec.precompiledCharsmap;
    this.charsMap = blob !== undefined && blob.length > 0 ? new PrecompiledCharsMap(blob) : null;
    const symbols = [...new Set(userDefinedSymbols.filter((s) => s.length > 0))];
    if (symbols.length > 0) {
      this.userSymbols = DoubleArrayTrie.build(
        symbols,
        symbols.map((s) => s.length),
      );
      this.userSymbolStart = new Uint8Array(65536);
      for (const s of symbols) this.userSymbolStart[s.charCodeAt(0)] = 1;
    } else {
      this.userSymbols = null;
      this.userSymbolStart = null;
    }
    // ASCII characters whose normalization step is "copy this one character"
    this.asciiSelf = new Int8Array(128).fill(-1);
    const longUserSymbol = new Set(symbols.filter((s) => s.length > 1).map((s) => s.charCodeAt(0)));
    for (let c = 0; c < 128; c++) {
      if (longUserSymbol.has(c)) continue;
      const map = this.charsMap;
      if (map !== null && map.asciiStartsRule[c] === 1) {
        if (map.asciiLonger[c] === 2) continue;
        const one = new Uint16Array([c]);
        if (map.longestMatch(one, 0, 1) === 1 && map.match !== String.fromCharCode(c)) continue;
      }
      // valid when the next unit is ASCII too (or the end): longer rules need a non-ASCII unit
      this.asciiSelf[c] = c;
    }
  }

  /** Normalizes a plain string: returns the normalized text (with ▁) and its alignment. */
  normalize(input: string): { normalized: string; start: Int32Array; end: Int32Array } {
    const out = new AlignedText(input.length + 8);
    this.normalizeAligned(new AlignedText(input.length + 1).setIdentity(input), out);
    return {
      normalized: out.toString(),
      start: out.start.slice(0, out.length),
      end: out.end.slice(0, out.length),
    };
  }

  /**
   * Length (in code units) of the prefix at `pos` that one normalization step consumes, and what it
   * becomes: writes the replacement into `this.scratch` and returns the consumed length.
   */
  private prefix(units: Uint16Array, pos: number, len: number): number {
    const scratch = this.scratch.reset();
    const c = units[pos] as number;
    // 1. user-defined symbols pass through unchanged (longest match)
    if (this.userSymbols !== null && (this.userSymbolStart as Uint8Array)[c] === 1) {
      const trie = this.userSymbols;
      let s = 0;
      let best = 0;
      for (let i = pos; i < len; i++) {
        s = trie.next(s, units[i] as number);
        if (s < 0) break;
        if ((trie.value[s] as number) >= 0) best = i + 1 - pos;
      }
      if (best > 0) {
        for (let i = 0; i < best; i++) scratch.push(units[pos + i] as number, 0, 0);
        return best;
      }
    }
    // 2. longest charsmap rule
    const map = this.charsMap;
    if (map !== null && (c >= 0x80 || map.asciiStartsRule[c] === 1)) {
      const best = map.longestMatch(units, pos, len);
      if (best > 0) {
        const r = map.match;
        for (let i = 0; i < r.length; i++) scratch.push(r.charCodeAt(i), 0, 0);
        return best;
      }
    }
    // 3. one character, copied (a lone surrogate becomes U+FFFD, as invalid UTF-8 does in SentencePiece)
    if (c >= 0xd800 && c <= 0xdbff && pos + 1 < len) {
      const d = units[pos + 1] as number;
      if (d >= 0xdc00 && d <= 0xdfff) {
        scratch.push(c, 0, 0);
        scratch.push(d, 0, 0);
        return 2;
      }
    }
    scratch.push(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c, 0, 0);
    return 1;
  }

  /** Normalizes `input` (units + original ranges) into `out` (reset first). */
  normalizeAligned(input: AlignedText, out: AlignedText): void {
    out.reset();
    const units = input.units;
    const len = input.length;
    const removeExtra = this.removeExtraWhitespaces;
    const escapeSpaces = this.escapeWhitespaces;
    const spaceUnit = escapeSpaces ? SPACE_SYMBOL : SPACE;
    let pos = 0;

    // leading spaces (judged after normalization) are dropped
    if (removeExtra) {
      while (pos < len) {
        const n = this.prefix(units, pos, len);
        if (this.scratch.length !== 1 || this.scratch.units[0] !== SPACE) break;
        pos += n;
      }
    }
    if (pos >= len) return;

    const dummy = this.addDummyPrefix && !this.treatWhitespaceAsSuffix;
    if (dummy) out.push(spaceUnit, input.start[pos] as number, input.start[pos] as number);

    let isPrevSpace = removeExtra;
    // original range of input removed since the last output unit, when there was none to extend
    let pendingStart = -1;
    const asciiSelf = this.asciiSelf;
    while (pos < len) {
      const c = units[pos] as number;
      if (c < 0x80 && (asciiSelf[c] as number) >= 0 && (pos + 1 === len || (units[pos + 1] as number) < 0x80)) {
        // fast path: a run of ASCII characters that the step copies one by one
        out.reserve(len - pos + 1);
        const ou = out.units;
        const os = out.start;
        const oe = out.end;
        const is = input.start;
        const ie = input.end;
        const first = dummy ? 1 : 0;
        let n = out.length;
        let ch = c;
        for (;;) {
          const s = is[pos] as number;
          const e = ie[pos] as number;
          if (ch === SPACE && isPrevSpace) {
            if (n > first) {
              if ((oe[n - 1] as number) < e) oe[n - 1] = e;
            } else if (pendingStart < 0) pendingStart = s;
          } else {
            ou[n] = ch === SPACE && escapeSpaces ? SPACE_SYMBOL : ch;
            os[n] = pendingStart >= 0 ? pendingStart : s;
            oe[n] = e;
            n++;
            pendingStart = -1;
            isPrevSpace = ch === SPACE;
          }
          pos++;
          if (!removeExtra) isPrevSpace = false;
          if (pos >= len) break;
          ch = units[pos] as number;
          if (
            !(ch < 0x80 && (asciiSelf[ch] as number) >= 0 && (pos + 1 === len || (units[pos + 1] as number) < 0x80))
          ) {
            break;
          }
        }
        out.length = n;
        continue;
      }
      const n = this.prefix(units, pos, len);
      const s = input.start[pos] as number;
      const e = input.end[pos + n - 1] as number;
      const r = this.scratch;
      let k = 0;
      if (isPrevSpace) while (k < r.length && r.units[k] === SPACE) k++;
      if (k < r.length) {
        const from = pendingStart >= 0 ? pendingStart : s;
        pendingStart = -1;
        for (; k < r.length; k++) {
          const u = r.units[k] as number;
          out.push(u === SPACE && escapeSpaces ? SPACE_SYMBOL : u, from, e);
        }
        isPrevSpace = r.units[r.length - 1] === SPACE;
      } else if (out.length > (dummy ? 1 : 0)) {
        // removed input (or a collapsed space) extends the previous output unit
        if ((out.end[out.length - 1] as number) < e) out.end[out.length - 1] = e;
      } else if (pendingStart < 0) {
        pendingStart = s;
      }
      pos += n;
      if (!removeExtra) isPrevSpace = false;
    }

    // trailing spaces are dropped
    if (removeExtra) {
      while (out.length > 0 && out.units[out.length - 1] === spaceUnit) out.length--;
    }
    // the dummy prefix stands for nothing, just before the first character it precedes
    if (dummy && out.length > 1) {
      out.start[0] = out.start[1] as number;
      out.end[0] = out.start[1] as number;
    }
    if (this.addDummyPrefix && this.treatWhitespaceAsSuffix) {
      const at = out.length > 0 ? (out.end[out.length - 1] as number) : 0;
      out.push(spaceUnit, at, at);
    }
  }
}
