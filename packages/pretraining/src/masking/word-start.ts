// Which pieces start a word, for whole-word n-gram masking. The rules are those of
// google-research/albert `create_pretraining_data.py` (`_is_start_piece_sp` / `_is_start_piece_bert`):
// a SentencePiece piece starts a word when it
//   - begins with "▁" (the piece follows a space), or
//   - begins with "<" (e.g. "<unk>"), or
//   - is a single punctuation character from the file's list, or
//   - contains any character that, lower-cased, is neither an ASCII letter a–z nor in that list
//     (digits, accented and non-Latin letters, "'", "<", "=", ">"…: "foreign characters are
//     always treated as a whole piece").
// Only pieces made entirely of ASCII letters and listed punctuation, without a leading "▁", continue
// the previous word. The list in that file is !"#$%&"()*+,-./:;?@[\]^_`{|}~ — the apostrophe is
// missing from it (a `\"` where `'` was meant), and we keep it missing, so "'s" starts a word there
// and here.

const PUNCTUATION = new Set('!"#$%&()*+,-./:;?@[\\]^_`{|}~');

function isAsciiLetterOrListed(ch: string): boolean {
  const lower = ch.toLowerCase();
  if (lower.length === 1 && lower >= 'a' && lower <= 'z') return true;
  return PUNCTUATION.has(lower);
}

/** SentencePiece word-start rule (`_is_start_piece_sp`). */
export function isStartPieceSp(piece: string): boolean {
  if (piece.startsWith('▁') || piece.startsWith('<')) return true;
  if (PUNCTUATION.has(piece)) return true;
  for (const ch of piece) if (!isAsciiLetterOrListed(ch)) return true;
  return false;
}

/** WordPiece word-start rule (`_is_start_piece_bert`): everything but "##" continuations. */
export function isStartPieceBert(piece: string): boolean {
  return !piece.startsWith('##');
}

export type WordStartRule = 'sentencepiece' | 'wordpiece';

/** 1 where a piece starts a word, 0 where it continues the previous one. */
export function wordStarts(pieces: readonly string[], rule: WordStartRule = 'sentencepiece'): Uint8Array {
  const isStart = rule === 'sentencepiece' ? isStartPieceSp : isStartPieceBert;
  const out = new Uint8Array(pieces.length);
  for (let i = 0; i < pieces.length; i++) out[i] = isStart(pieces[i] as string) ? 1 : 0;
  return out;
}
