// Which substrings may become pieces: SentencePiece's TrainerInterface::IsValidSentencePiece rules,
// restated. A piece is 1..maxSentencepieceLength characters, never holds the unknown-character
// mark ⁇ or a sentence boundary, holds `▁` only as its first character (split_by_whitespace) or not
// as its last (otherwise), stays within one Unicode script (split_by_unicode_script; digits join any
// script when split_by_number is off), and is a single digit when split_digits is on.

import type { UnigramTrainerOptions } from './options.js';
import { isDigit, unicodeScript } from './unicode-script.js';

export const SPACE_SYMBOL = 0x2581; // ▁
export const UNK_CHAR = 0x2047; // ⁇ stands for characters outside the coverage

type PieceRuleOptions = Pick<
  UnigramTrainerOptions,
  'maxSentencepieceLength' | 'splitByWhitespace' | 'splitByUnicodeScript' | 'splitByNumber' | 'splitDigits'
>;

const ANY_SCRIPT = '*';

/** `cps`: code points of the candidate piece, read from `start` for `length` characters. */
export function isValidPiece(cps: ArrayLike<number>, start: number, length: number, o: PieceRuleOptions): boolean {
  if (length === 0 || length > o.maxSentencepieceLength) return false;
  let prevScript = ANY_SCRIPT;
  for (let pos = 0; pos < length; pos++) {
    const c = cps[start + pos] as number;
    if (c === UNK_CHAR || c === 0 || c === 0x20) return false;
    if (c === SPACE_SYMBOL) {
      if (o.splitByWhitespace ? pos > 0 : pos > 0 && pos === length - 1) return false;
      continue;
    }
    if (o.splitDigits && isDigit(c) && length > 1) return false;
    const script = !o.splitByNumber && isDigit(c) ? ANY_SCRIPT : unicodeScript(c);
    if (o.splitByUnicodeScript && prevScript !== ANY_SCRIPT && script !== ANY_SCRIPT && prevScript !== script) {
      return false;
    }
    if (script !== ANY_SCRIPT) prevScript = script;
  }
  return true;
}
