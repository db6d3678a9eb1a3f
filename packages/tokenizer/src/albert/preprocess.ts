// Hugging Face AlbertTokenizer's text handling before SentencePiece, on aligned text (every unit
// keeps its range in the original string). Behaviour from transformers'
// tokenization_albert.py (preprocess_text) and tokenization_utils.py (tokenize):
//  1. do_lower_case: every character outside a special-token match gets Python's str.lower(), one
//     character at a time (so Σ -> σ, never final ς); special tokens are matched case-sensitively.
//  2. the text is split at special tokens (leftmost, longest); [MASK] strips whitespace on its left.
//  3. preprocess_text on each part: " ".join(s.strip().split()) with Python's whitespace set;
//     `` and '' -> "; NFKD; drop characters whose canonical combining class is not 0; str.lower().

import { AlignedText } from '../normalizer/aligned.js';
import { isCombining, isFinalSigma, isPythonSpace, lowerCodePoint } from './python-text.js';

export interface PreprocessOptions {
  doLowerCase: boolean;
  removeSpace: boolean;
  keepAccents: boolean;
}

function codePointAt(units: Uint16Array, i: number, len: number): number {
  const c = units[i] as number;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
    const d = units[i + 1] as number;
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

function pushCodePoint(out: AlignedText, cp: number, start: number, end: number): void {
  if (cp < 0x10000) out.push(cp, start, end);
  else {
    out.push(0xd800 + ((cp - 0x10000) >> 10), start, end);
    out.push(0xdc00 + ((cp - 0x10000) & 0x3ff), start, end);
  }
}

/** Step 1: lower-cases `text` except where a special token matches (case-sensitively). */
export function lowerOutsideSpecialTokens(
  text: string,
  specials: readonly string[],
  out: AlignedText,
  from = 0,
  to = text.length,
): void {
  out.reset();
  out.reserve(to - from);
  const n = to;
  for (let i = from; i < n; ) {
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x3c /* < */) {
      const tok = specials.find((t) => i + t.length <= n && text.startsWith(t, i));
      if (tok !== undefined) {
        for (let k = 0; k < tok.length; k++) out.push(tok.charCodeAt(k), i + k, i + k + 1);
        i += tok.length;
        continue;
      }
    }
    if (c < 0x80) {
      out.push(c >= 0x41 && c <= 0x5a ? c + 32 : c, i, i + 1);
      i++;
      continue;
    }
    const cp = text.codePointAt(i) as number;
    const w = cp > 0xffff ? 2 : 1;
    const lower = lowerCodePoint(cp);
    if (typeof lower === 'number') pushCodePoint(out, lower, i, i + w);
    else out.pushString(lower, i, i + w);
    i += w;
  }
}

/**
 * Step 2: splits units[0, length) at special tokens (leftmost, longest). Returns [start, end, special]
 * triples (special = index into `specials`, or -1 for text), in order.
 */
export function splitOnSpecialTokens(text: AlignedText, specials: readonly string[]): number[] {
  const parts: number[] = [];
  const u = text.units;
  const n = text.length;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const c = u[i] as number;
    if (c !== 0x5b && c !== 0x3c) continue;
    let best = -1;
    let bestLen = 0;
    for (let t = 0; t < specials.length; t++) {
      const tok = specials[t] as string;
      if (tok.length <= bestLen || i + tok.length > n) continue;
      let k = 0;
      while (k < tok.length && u[i + k] === tok.charCodeAt(k)) k++;
      if (k === tok.length) {
        best = t;
        bestLen = tok.length;
      }
    }
    if (best < 0) continue;
    if (i > last) parts.push(last, i, -1);
    parts.push(i, i + bestLen, best);
    i += bestLen - 1;
    last = i + 1;
  }
  if (n > last) parts.push(last, n, -1);
  return parts;
}

/**
 * Step 3a: whitespace (" ".join(s.strip().split()) when removeSpace) and `` / '' -> ", from
 * input[from, to) into out. A joining space stands for the whole whitespace run it replaces.
 */
export function collapseSpacesAndQuotes(
  input: AlignedText,
  from: number,
  to: number,
  removeSpace: boolean,
  out: AlignedText,
): void {
  out.reset();
  out.reserve(to - from);
  const u = input.units;
  const s = input.start;
  const e = input.end;
  let i = from;
  let runStart = -1; // original start of a pending whitespace run (removeSpace)
  let runEnd = -1;
  while (i < to) {
    const c = u[i] as number;
    if (removeSpace) {
      if (isPythonSpace(c < 0x80 ? c : codePointAt(u, i, to))) {
        if (runStart < 0) runStart = s[i] as number;
        runEnd = e[i] as number;
        i++;
        continue;
      }
      if (runStart >= 0) {
        if (out.length > 0) out.push(0x20, runStart, runEnd);
        runStart = -1;
      }
    }
    if ((c === 0x60 || c === 0x27) && i + 1 < to && u[i + 1] === c) {
      out.push(0x22, s[i] as number, e[i + 1] as number);
      i += 2;
      continue;
    }
    out.push(c, s[i] as number, e[i] as number);
    i++;
  }
}

const nfkdCache = new Map<number, string>();

/**
 * Step 3b: unless keepAccents, NFKD and drop characters with a non-zero canonical combining
 * class; then (doLowerCase) str.lower(). Dropped characters join the previous kept unit's range
 * (a combining mark belongs to its base), or the next one when nothing was kept yet.
 * NFKD is applied per code point: canonical reordering only moves non-zero-class characters, which
 * are dropped, so this equals NFKD of the whole string whenever accents are dropped.
 */
export function decomposeAndLower(input: AlignedText, opts: PreprocessOptions, out: AlignedText): void {
  out.reset();
  out.reserve(input.length);
  const u = input.units;
  const s = input.start;
  const e = input.end;
  const n = input.length;
  if (opts.keepAccents) {
    // keep_accents: HF skips NFKD and the combining filter entirely
    out.units.set(u.subarray(0, n));
    out.start.set(s.subarray(0, n));
    out.end.set(e.subarray(0, n));
    out.length = n;
  } else {
    let pending = -1;
    for (let i = 0; i < n; ) {
      const c = u[i] as number;
      if (c < 0x80) {
        out.push(c, pending >= 0 ? pending : (s[i] as number), e[i] as number);
        pending = -1;
        i++;
        continue;
      }
      const cp = codePointAt(u, i, n);
      const w = cp > 0xffff ? 2 : 1;
      const start = s[i] as number;
      const end = e[i + w - 1] as number;
      let d = nfkdCache.get(cp);
      if (d === undefined) {
        d = String.fromCodePoint(cp).normalize('NFKD');
        nfkdCache.set(cp, d);
      }
      for (let k = 0; k < d.length; ) {
        const dc = d.codePointAt(k) as number;
        k += dc > 0xffff ? 2 : 1;
        if (isCombining(dc)) {
          if (out.length > 0) {
            if ((out.end[out.length - 1] as number) < end) out.end[out.length - 1] = end;
          } else if (pending < 0) pending = start;
          continue;
        }
        pushCodePoint(out, dc, pending >= 0 ? pending : start, end);
        pending = -1;
      }
      i += w;
    }
  }
  if (opts.doLowerCase) lowerInPlace(out);
}

/** Python str.lower() of the whole text, in place where lengths allow (İ grows). */
function lowerInPlace(text: AlignedText): void {
  const n = text.length;
  let simple = true;
  for (let i = 0; i < n; i++) {
    const c = text.units[i] as number;
    if (c < 0x80) {
      if (c >= 0x41 && c <= 0x5a) text.units[i] = c + 32;
      continue;
    }
    simple = false;
    break;
  }
  if (simple) return;
  // general path: rebuild
  const src = new AlignedText(n + 8);
  src.units.set(text.units.subarray(0, n));
  src.start.set(text.start.subarray(0, n));
  src.end.set(text.end.subarray(0, n));
  src.length = n;
  let str: string | null = null;
  text.reset();
  for (let i = 0; i < n; ) {
    const cp = codePointAt(src.units, i, n);
    const w = cp > 0xffff ? 2 : 1;
    const start = src.start[i] as number;
    const end = src.end[i + w - 1] as number;
    if (cp === 0x3a3) {
      if (str === null) str = src.toString();
      text.push(isFinalSigma(str, i) ? 0x3c2 : 0x3c3, start, end);
    } else {
      const lower = lowerCodePoint(cp);
      if (typeof lower === 'number') pushCodePoint(text, lower, start, end);
      else text.pushString(lower, start, end);
    }
    i += w;
  }
}

/**
 * What steps 1 and 3b make of one non-ASCII code point on its own: Python lower(), NFKD, combining
 * characters dropped, lower() again. Cached. Returns null when the result holds a capital sigma,
 * whose lower case depends on its neighbours.
 */
const foldCache = new Map<number, string | null>();
function foldCodePoint(cp: number): string | null {
  let f = foldCache.get(cp);
  if (f !== undefined) return f;
  const lowered = lowerCodePoint(cp);
  const nfkd = (typeof lowered === 'number' ? String.fromCodePoint(lowered) : lowered).normalize('NFKD');
  f = '';
  for (const ch of nfkd) {
    const dc = ch.codePointAt(0) as number;
    if (isCombining(dc)) continue;
    if (dc === 0x3a3) {
      f = null;
      break;
    }
    const l = lowerCodePoint(dc);
    f += typeof l === 'number' ? String.fromCodePoint(l) : l;
  }
  foldCache.set(cp, f);
  return f;
}

/**
 * Steps 1 and 3 in one pass over text[from, to) for the default settings (do_lower_case,
 * remove_space, !keep_accents), straight from the original string: ASCII is lower-cased (`` and ''
 * become "), whitespace runs collapse to one space standing for the run, other characters are
 * folded (foldCodePoint). Same output and alignment as the step-by-step functions above. Returns
 * false (leaving `out` undefined) in the rare case it cannot: a capital sigma from NFKD.
 */
export function preprocessFast(text: string, from: number, to: number, out: AlignedText): boolean {
  out.reset();
  out.reserve(to - from + 8);
  let runStart = -1;
  let runEnd = -1;
  let pending = -1; // original start of dropped characters with no unit before them
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) {
        if (runStart < 0) runStart = i;
        runEnd = i + 1;
        i++;
        continue;
      }
      if (runStart >= 0) {
        if (out.length > 0) out.push(0x20, runStart, runEnd);
        runStart = -1;
      }
      if ((c === 0x60 || c === 0x27) && i + 1 < to && text.charCodeAt(i + 1) === c) {
        out.push(0x22, pending >= 0 ? pending : i, i + 2);
        pending = -1;
        i += 2;
        continue;
      }
      out.push(c >= 0x41 && c <= 0x5a ? c + 32 : c, pending >= 0 ? pending : i, i + 1);
      pending = -1;
      i++;
      continue;
    }
    const cp = text.codePointAt(i) as number;
    const w = cp > 0xffff && i + 1 < to ? 2 : 1;
    if (isPythonSpace(cp)) {
      if (runStart < 0) runStart = i;
      runEnd = i + w;
      i += w;
      continue;
    }
    if (runStart >= 0) {
      if (out.length > 0) out.push(0x20, runStart, runEnd);
      runStart = -1;
    }
    const f = foldCodePoint(w === 2 ? cp : c);
    if (f === null) return false;
    if (f.length === 0) {
      // dropped entirely (a combining mark): it belongs to the unit before, or to the next one
      if (out.length > 0) {
        if ((out.end[out.length - 1] as number) < i + w) out.end[out.length - 1] = i + w;
      } else if (pending < 0) pending = i;
    } else {
      out.pushString(f, pending >= 0 ? pending : i, i + w);
      pending = -1;
    }
    i += w;
  }
  return true;
}

/**
 * Steps 1 and 2 without building the lower-cased text: where does a special token start in the
 * lower-cased text? At i, a token matches if the original text has it (case-sensitively) or if
 * the lower-cased characters spell it (so "<UNK>" is <unk>). Returns [start, end, special] triples
 * in original positions, like splitOnSpecialTokens.
 */
export function findSpecialTokens(text: string, specials: readonly string[]): number[] {
  const parts: number[] = [];
  const n = text.length;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x5b && c !== 0x3c) continue;
    let best = -1;
    let bestEnd = 0;
    for (let t = 0; t < specials.length; t++) {
      const tok = specials[t] as string;
      const end = text.startsWith(tok, i) ? i + tok.length : loweredMatch(text, i, tok);
      if (end > bestEnd) {
        best = t;
        bestEnd = end;
      }
    }
    if (best < 0) continue;
    if (i > last) parts.push(last, i, -1);
    parts.push(i, bestEnd, best);
    last = bestEnd;
    i = bestEnd - 1;
  }
  if (n > last) parts.push(last, n, -1);
  return parts;
}

/** End of the original text whose per-character lower case spells `tok` from i, or -1. */
function loweredMatch(text: string, i: number, tok: string): number {
  let j = 0;
  let k = i;
  while (j < tok.length) {
    if (k >= text.length) return -1;
    const cp = text.codePointAt(k) as number;
    const l = cp < 0x80 ? (cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp) : lowerCodePoint(cp);
    const s = typeof l === 'number' ? String.fromCodePoint(l) : l;
    if (!tok.startsWith(s, j)) return -1;
    j += s.length;
    k += cp > 0xffff ? 2 : 1;
  }
  return k;
}
