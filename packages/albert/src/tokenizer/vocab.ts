// What the pipelines need from either kind of tokenizer (spiece.model or tokenizer.json) beyond
// encode/decode: the mask token, vocabulary look-ups and HF's convert_tokens_to_string.
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { PipelineError } from '../errors.js';
import type { Tokenizer } from './auto-tokenizer.js';

/** The mask token and its id, or a PipelineError when the tokenizer has none. */
export function maskToken(tok: Tokenizer): { token: string; id: number } {
  if (tok instanceof AlbertTokenizer) return { token: tok.maskToken, id: tok.maskId };
  const added = tok.addedTokens.find((t) => t.content === '[MASK]');
  if (added === undefined) throw new PipelineError('no-tokenizer', 'the tokenizer has no [MASK] token');
  return { token: added.content, id: added.id };
}

/** The id of a piece of the vocabulary (exactly as written: '▁paris'), or undefined. */
export function vocabId(tok: Tokenizer, piece: string): number | undefined {
  if (tok instanceof AlbertTokenizer) {
    const id = tok.sp.pieceToId(piece);
    return id === tok.sp.unkId && piece !== tok.sp.idToPiece(id) ? undefined : id;
  }
  const added = tok.addedTokens.find((t) => t.content === piece);
  if (added !== undefined) return added.id;
  const id = tok.vocab.indexOf(piece);
  return id < 0 ? undefined : id;
}

/** HF convert_tokens_to_string: pieces joined, ▁ as spaces, stripped. */
export function tokensToString(tok: Tokenizer, tokens: readonly string[]): string {
  if (tok instanceof AlbertTokenizer) return tok.convertTokensToString(tokens);
  return tokens.join('').replaceAll('\u2581', ' ').trim();
}
