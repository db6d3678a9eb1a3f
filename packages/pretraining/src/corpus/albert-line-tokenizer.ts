// The corpus pipeline's LineTokenizer on top of @albert-ts/tokenizer's AlbertTokenizer: ALBERT's
// preprocessing (lower-casing, accents, whitespace), SentencePiece, the digit-comma rule — exactly
// `tokenizer.tokenize(line)` of create_pretraining_data.py — and word starts from a per-id table
// (the start-piece rule applied once to every vocabulary piece, instead of to every token).
import type { AlbertTokenizer } from '@albert-ts/tokenizer';
import { isStartPieceBert, isStartPieceSp, type WordStartRule } from '../masking/word-start.js';
import type { LineTokenizer } from './line-tokenizer.js';

export function wordStartTable(pieces: readonly string[], rule: WordStartRule = 'sentencepiece'): Uint8Array {
  const isStart = rule === 'sentencepiece' ? isStartPieceSp : isStartPieceBert;
  return Uint8Array.from(pieces, (p) => (isStart(p) ? 1 : 0));
}

export function albertLineTokenizer(tokenizer: AlbertTokenizer): LineTokenizer {
  const vocab = tokenizer.convertIdsToTokens(Int32Array.from({ length: tokenizer.vocabSize }, (_, i) => i));
  const table = wordStartTable(vocab);
  return (text) => {
    const ids = Int32Array.from(tokenizer.encodeSequence(text).ids);
    const wordStart = new Uint8Array(ids.length);
    for (let i = 0; i < ids.length; i++) wordStart[i] = table[ids[i] as number] as number;
    return { ids, wordStart };
  };
}
