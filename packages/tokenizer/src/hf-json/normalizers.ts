// Hugging Face tokenizers' normalizers, on aligned text (behaviour from the `tokenizers` crate:
// normalizers/{replace,unicode,strip,utils}.rs and the spm_precompiled crate). Each step reads
// `input` and writes `out`; every output unit keeps the original range it came from, assigned the
// way the Rust NormalizedString does it, so offsets match the Rust library's: a replacement takes
// the range of the last character it replaces, removed characters belong to no one, a character
// that expands keeps its range in every part.

import { ModelFormatError } from '../errors.js';
import { AlignedText } from '../normalizer/aligned.js';
import type { PrecompiledCharsMap } from '../normalizer/charsmap.js';

export type NormalizerStep = (input: AlignedText, out: AlignedText) => void;

const MARK = /\p{M}/u;
const WHITE_SPACE = /\s/u;
let segmenter: Intl.Segmenter | null = null;
const graphemes = {
  segment: (text: string) => {
    segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    return segmenter.segment(text);
  },
};
const utf8 = new TextEncoder();

/** Index of the first unit of the last character in units[from, to). */
function lastChar(units: Uint16Array, from: number, to: number): number {
  const c = units[to - 1] as number;
  return c >= 0xdc00 &&
    c <= 0xdfff &&
    to - 2 >= from &&
    (units[to - 2] as number) >= 0xd800 &&
    (units[to - 2] as number) <= 0xdbff
    ? to - 2
    : to - 1;
}

function eachCodePoint(input: AlignedText, fn: (cp: number, i: number, w: number) => void): void {
  const u = input.units;
  const n = input.length;
  for (let i = 0; i < n; ) {
    const c = u[i] as number;
    let cp = c;
    let w = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = u[i + 1] as number;
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        w = 2;
      }
    }
    fn(cp, i, w);
    i += w;
  }
}

/** Replace(String pattern): every non-overlapping occurrence, left to right. */
export function replaceLiteral(pattern: string, content: string): NormalizerStep {
  if (pattern.length === 0) throw new ModelFormatError('tokenizer.json: Replace with an empty pattern');
  return (input, out) => {
    out.reset();
    const u = input.units;
    const n = input.length;
    for (let i = 0; i < n; ) {
      let k = 0;
      while (k < pattern.length && i + k < n && u[i + k] === pattern.charCodeAt(k)) k++;
      if (k === pattern.length) {
        out.pushString(content, input.start[lastChar(u, i, i + k)] as number, input.end[i + k - 1] as number);
        i += k;
      } else {
        out.push(u[i] as number, input.start[i] as number, input.end[i] as number);
        i++;
      }
    }
  };
}

/** Replace(Regex pattern). */
export function replaceRegex(pattern: string, content: string): NormalizerStep {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'gu');
  } catch (e) {
    throw new ModelFormatError(`tokenizer.json: Replace regex ${JSON.stringify(pattern)} is not supported`, -1, {
      cause: e,
    });
  }
  return (input, out) => {
    out.reset();
    const text = input.toString();
    let last = 0;
    const copy = (from: number, to: number) => {
      for (let i = from; i < to; i++)
        out.push(input.units[i] as number, input.start[i] as number, input.end[i] as number);
    };
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      copy(last, m.index);
      const end = m.index + m[0].length;
      out.pushString(content, input.start[lastChar(input.units, m.index, end)] as number, input.end[end - 1] as number);
      last = m.index + m[0].length;
    }
    copy(last, input.length);
  };
}

/** NFD / NFKD per code point (plus canonical reordering), NFC / NFKC per grapheme cluster. */
export function unicodeForm(form: 'NFD' | 'NFKD' | 'NFC' | 'NFKC'): NormalizerStep {
  const cache = new Map<number, string>();
  if (form === 'NFD' || form === 'NFKD') {
    return (input, out) => {
      out.reset();
      eachCodePoint(input, (cp, i, w) => {
        let d = cache.get(cp);
        if (d === undefined) {
          d = String.fromCodePoint(cp).normalize(form);
          cache.set(cp, d);
        }
        out.pushString(d, input.start[i] as number, input.end[i + w - 1] as number);
      });
      const text = out.toString();
      const whole = text.normalize(form);
      if (whole !== text && whole.length === text.length) {
        for (let k = 0; k < whole.length; k++) out.units[k] = whole.charCodeAt(k);
      }
    };
  }
  return (input, out) => {
    out.reset();
    const text = input.toString();
    for (const { segment, index } of graphemes.segment(text)) {
      const end = index + segment.length;
      out.pushString(segment.normalize(form), input.start[index] as number, input.end[end - 1] as number);
    }
  };
}

/** StripAccents: removes combining marks (general category M). */
export const stripAccents: NormalizerStep = (input, out) => {
  out.reset();
  eachCodePoint(input, (cp, i, w) => {
    if (cp >= 0x300 && MARK.test(String.fromCodePoint(cp))) return;
    for (let k = 0; k < w; k++)
      out.push(input.units[i + k] as number, input.start[i + k] as number, input.end[i + k] as number);
  });
};

/** Lowercase: Rust char::to_lowercase, one character at a time (so Σ -> σ, never final ς). */
export const lowercase: NormalizerStep = (input, out) => {
  out.reset();
  eachCodePoint(input, (cp, i, w) => {
    const s = input.start[i] as number;
    const e = input.end[i + w - 1] as number;
    if (cp < 0x80) out.push(cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp, s, e);
    else out.pushString(String.fromCodePoint(cp).toLowerCase(), s, e);
  });
};

/** Strip: whitespace (Unicode White_Space) off the left and/or right. */
export function strip(left: boolean, right: boolean): NormalizerStep {
  return (input, out) => {
    out.reset();
    let a = 0;
    let b = input.length;
    const isWs = (i: number) => WHITE_SPACE.test(String.fromCharCode(input.units[i] as number));
    if (left) while (a < b && isWs(a)) a++;
    if (right) while (b > a && isWs(b - 1)) b--;
    for (let i = a; i < b; i++) out.push(input.units[i] as number, input.start[i] as number, input.end[i] as number);
  };
}

/**
 * Precompiled, as spm_precompiled applies it: per grapheme cluster; a cluster shorter than 6 UTF-8
 * bytes whose start matches a rule is replaced whole by the shortest matching rule; otherwise each
 * character is replaced by its own rule, if any. Alignment as tokenizers' Precompiled: the i-th new
 * character takes the range of the i-th old one (the last old one when there are more new ones).
 */
export function precompiled(map: PrecompiledCharsMap): NormalizerStep {
  const replace = (input: AlignedText, from: number, to: number, by: string, out: AlignedText) => {
    const old: number[] = []; // unit index of each old character
    for (let i = from; i < to; ) {
      old.push(i);
      const c = input.units[i] as number;
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < to ? 2 : 1;
    }
    let k = 0;
    for (const ch of by) {
      const o = old[Math.min(k, old.length - 1)] as number;
      const c = input.units[o] as number;
      const w = c >= 0xd800 && c <= 0xdbff && o + 1 < to ? 2 : 1;
      out.pushString(ch, input.start[o] as number, input.end[o + w - 1] as number);
      k++;
    }
  };
  return (input, out) => {
    out.reset();
    const text = input.toString();
    for (const { segment, index } of graphemes.segment(text)) {
      const end = index + segment.length;
      if (utf8.encode(segment).length < 6 && map.longestMatch(input.units, index, end, true) > 0) {
        replace(input, index, end, map.match, out);
        continue;
      }
      for (let i = index; i < end; ) {
        const c = input.units[i] as number;
        const w = c >= 0xd800 && c <= 0xdbff && i + 1 < end ? 2 : 1;
        if (map.longestMatch(input.units, i, i + w, true) > 0) replace(input, i, i + w, map.match, out);
        else
          for (let k = 0; k < w; k++)
            out.push(input.units[i + k] as number, input.start[i + k] as number, input.end[i + k] as number);
        i += w;
      }
    }
  };
}

/** Runs steps in order, ping-ponging between two buffers; returns the buffer holding the result. */
export function runSteps(
  steps: readonly NormalizerStep[],
  input: AlignedText,
  a: AlignedText,
  b: AlignedText,
): AlignedText {
  let src = input;
  let dst = a;
  for (const step of steps) {
    step(src, dst);
    src = dst;
    dst = dst === a ? b : a;
  }
  return src;
}

export { AlignedText };
