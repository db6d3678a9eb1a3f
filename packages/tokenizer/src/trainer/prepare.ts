// From raw lines to the training words, as SentencePiece's TrainerInterface::LoadSentences and
// SplitSentencesByWhitespace do it: normalize every sentence (charsmap, whitespace → `▁`, dummy
// prefix), cut out user-defined symbols (they are whole pieces of their own, so no learned piece may
// contain them), split into words before every `▁`, count the words. Then count characters, keep
// the most frequent ones until `characterCoverage` of all characters is covered (the required
// characters, always in the vocabulary) and replace the rest with ⁇ (unknown).
//
// Sentences are counted as they arrive and then dropped: memory grows with the number of distinct
// words, not with the corpus.

import { lowerCodePoint } from '../albert/python-text.js';
import type { UnigramTrainerOptions } from './options.js';
import { UNK_CHAR } from './piece-rules.js';
import { splitIntoWords } from './words.js';

export type Normalize = (text: string) => string;

/** Distinct words with their counts; `endCounts`: occurrences that end a text segment. */
export interface WordCounts {
  words: string[];
  counts: number[];
  endCounts: number[];
}

export interface PreparedWords extends WordCounts {
  /** Required characters (code point → count), most frequent first. */
  requiredChars: Map<number, number>;
  /** Count of all characters and of the covered ones. */
  allChars: number;
  coveredChars: number;
}

/**
 * Lower-cases one code point at a time with Python's str.lower() tables, as AlbertTokenizer's
 * do_lower_case does (so `Σ` is always `σ`, never the final `ς`).
 */
export function lowercasePerCodePoint(text: string): string {
  let out = '';
  let run = 0; // start of the current run of unchanged characters
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    const lower = lowerCodePoint(cp);
    if (lower !== cp) {
      out += text.slice(run, i) + (typeof lower === 'number' ? String.fromCodePoint(lower) : lower);
      run = i + width;
    }
    i += width - 1;
  }
  return run === 0 ? text : out + text.slice(run);
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

type CountOptions = Pick<UnigramTrainerOptions, 'lowercase' | 'userDefinedSymbols' | 'splitByWhitespace'>;

export class WordCounter implements WordCounts {
  readonly words: string[] = [];
  readonly counts: number[] = [];
  readonly endCounts: number[] = [];
  sentences = 0;
  private readonly index = new Map<string, number>();

  constructor(
    private readonly normalize: Normalize,
    private readonly o: CountOptions,
  ) {}

  add(sentence: string): void {
    const text = this.o.lowercase ? lowercasePerCodePoint(sentence) : sentence;
    const normalized = this.normalize(text);
    this.sentences++;
    for (const segment of splitAtSymbols(normalized, this.o.userDefinedSymbols)) {
      const words = splitIntoWords(segment, this.o.splitByWhitespace);
      for (let k = 0; k < words.length; k++) this.count(words[k] as string, 1, k === words.length - 1 ? 1 : 0);
    }
  }

  count(word: string, n: number, ends: number): void {
    let i = this.index.get(word);
    if (i === undefined) {
      i = this.words.length;
      this.index.set(word, i);
      this.words.push(word);
      this.counts.push(0);
      this.endCounts.push(0);
    }
    this.counts[i] = (this.counts[i] as number) + n;
    this.endCounts[i] = (this.endCounts[i] as number) + ends;
  }
}

/** Character coverage over the counted words; rare characters become ⁇ (words merged again). */
export function applyCharacterCoverage(
  counted: WordCounts,
  o: Pick<UnigramTrainerOptions, 'characterCoverage' | 'requiredChars'>,
): PreparedWords {
  const chars = new Map<number, number>();
  for (let w = 0; w < counted.words.length; w++) {
    const n = counted.counts[w] as number;
    for (const ch of counted.words[w] as string) {
      const c = ch.codePointAt(0) as number;
      chars.set(c, (chars.get(c) ?? 0) + n);
    }
  }
  let allChars = 0;
  for (const n of chars.values()) allChars += n;
  const sorted = [...chars.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
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
    if (!requiredChars.has(c)) requiredChars.set(c, chars.get(c) ?? 0);
  }
  if (requiredChars.size === chars.size) {
    const { words, counts, endCounts } = counted;
    return { words, counts, endCounts, requiredChars, allChars, coveredChars: covered };
  }

  const unk = String.fromCodePoint(UNK_CHAR);
  const merged = new WordCounter((t) => t, { lowercase: false, userDefinedSymbols: [], splitByWhitespace: false });
  for (let w = 0; w < counted.words.length; w++) {
    const word = counted.words[w] as string;
    let out = '';
    for (const ch of word) out += requiredChars.has(ch.codePointAt(0) as number) ? ch : unk;
    merged.count(out, counted.counts[w] as number, counted.endCounts[w] as number);
  }
  const { words, counts, endCounts } = merged;
  return { words, counts, endCounts, requiredChars, allChars, coveredChars: covered };
}
