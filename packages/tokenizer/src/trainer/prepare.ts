// From raw lines to the training text, as SentencePiece's TrainerInterface::LoadSentences does it:
// normalize every sentence (charsmap, whitespace → `▁`, dummy prefix), cut out user-defined symbols
// (they are whole pieces of their own, so no learned piece may contain them), count characters,
// keep the most frequent ones until `characterCoverage` of all characters is covered (these are the
// required characters, always in the vocabulary) and replace the rest with ⁇ (unknown).

import type { TrainerOptions } from './options.js';
import { UNK_CHAR } from './piece-rules.js';

export interface PreparedText {
  /** Normalized text segments (sentences split at user-defined symbols), rare characters as ⁇. */
  segments: string[];
  /** Required characters (code point → count), most frequent first. */
  requiredChars: Map<number, number>;
  /** Count of all characters and of the covered ones. */
  allChars: number;
  coveredChars: number;
}

export type Normalize = (text: string) => string;

/** Lower-cases one code point at a time (ALBERT's do_lower_case: `Σ` is always `σ`). */
export function lowercasePerCodePoint(text: string): string {
  let out = '';
  for (const ch of text) out += ch.toLowerCase();
  return out;
}

/** Splits `text` at every occurrence of the symbols (leftmost, longest match); drops the symbols. */
export function splitAtSymbols(text: string, symbols: readonly string[]): string[] {
  if (symbols.length === 0) return text.length > 0 ? [text] : [];
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    let len = 0;
    for (const s of symbols) if (s.length > len && text.startsWith(s, i)) len = s.length;
    if (len > 0) {
      if (i > start) parts.push(text.slice(start, i));
      i += len;
      start = i;
    } else i++;
  }
  if (start < text.length) parts.push(text.slice(start));
  return parts;
}

export function prepareText(
  sentences: string[],
  normalize: Normalize,
  o: Pick<TrainerOptions, 'lowercase' | 'userDefinedSymbols' | 'characterCoverage' | 'requiredChars'>,
  onProgress?: (done: number, total: number) => void,
): PreparedText {
  const segments: string[] = [];
  const counts = new Map<number, number>();
  const total = sentences.length;
  for (let s = 0; s < total; s++) {
    let text = sentences[s] as string;
    sentences[s] = ''; // release the raw line as we go
    if (o.lowercase) text = lowercasePerCodePoint(text);
    const normalized = normalize(text);
    for (const seg of splitAtSymbols(normalized, o.userDefinedSymbols)) {
      segments.push(seg);
      for (let i = 0; i < seg.length; i++) {
        let c = seg.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < seg.length) {
          c = ((c - 0xd800) << 10) + (seg.charCodeAt(++i) - 0xdc00) + 0x10000;
        }
        counts.set(c, (counts.get(c) ?? 0) + 1);
      }
    }
    if ((s & 0xfff) === 0) onProgress?.(s, total);
  }
  onProgress?.(total, total);
  sentences.length = 0;
  let allChars = 0;
  for (const n of counts.values()) allChars += n;

  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const requiredChars = new Map<number, number>();
  let covered = 0;
  for (const [c, n] of sorted) {
    if (covered / allChars >= o.characterCoverage) break;
    if (c === UNK_CHAR) continue;
    covered += n;
    requiredChars.set(c, n);
  }
  for (const ch of o.requiredChars) {
    const c = ch.codePointAt(0) as number;
    if (!requiredChars.has(c)) requiredChars.set(c, counts.get(c) ?? 0);
  }
  if (requiredChars.size < counts.size) {
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as string;
      let rare = false;
      for (const ch of seg) {
        if (!requiredChars.has(ch.codePointAt(0) as number)) {
          rare = true;
          break;
        }
      }
      if (!rare) continue;
      let out = '';
      for (const ch of seg) out += requiredChars.has(ch.codePointAt(0) as number) ? ch : String.fromCodePoint(UNK_CHAR);
      segments[i] = out;
    }
  }
  return { segments, requiredChars, allChars, coveredChars: covered };
}
