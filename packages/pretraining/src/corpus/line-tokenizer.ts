// What the corpus pipeline needs from a tokenizer: the ids of one line of text (no special
// tokens) and either its pieces (word starts are derived from them) or the word-start flags.
import { type WordStartRule, wordStarts } from '../masking/word-start.js';
import type { Segment } from '../sop/sop-builder.js';

export type TokenizedLine = { ids: Int32Array; pieces: readonly string[] } | { ids: Int32Array; wordStart: Uint8Array };

export type LineTokenizer = (text: string) => TokenizedLine;

export function toSegment(line: TokenizedLine, rule: WordStartRule = 'sentencepiece'): Segment {
  if ('wordStart' in line) return { ids: line.ids, wordStart: line.wordStart };
  return { ids: line.ids, wordStart: wordStarts(line.pieces, rule) };
}
