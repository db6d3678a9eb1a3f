// A text's tokens as plain rows: piece, id, [start, end) in the text, the text they cover.
// Shared by `albert tokenize` and the page's attention view. No Node imports.
import type { Tokenizer } from 'albert-ts';

export interface TokenRow {
  piece: string;
  id: number;
  start: number;
  end: number;
  /** text.slice(start, end) ('' for [CLS]/[SEP]). */
  text: string;
  special: boolean;
}

export function tokenRows(tokenizer: Tokenizer, text: string): TokenRow[] {
  const enc = tokenizer.encode(text);
  const pieces = tokenizer.convertIdsToTokens(enc.inputIds);
  return Array.from(enc.inputIds, (id, k) => {
    const start = enc.offsets[2 * k] ?? 0;
    const end = enc.offsets[2 * k + 1] ?? 0;
    return {
      piece: pieces[k] ?? '',
      id,
      start,
      end,
      text: text.slice(start, end),
      special: enc.specialTokensMask[k] === 1,
    };
  });
}
