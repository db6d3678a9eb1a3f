// What the feature builders need from a tokenizer: AlbertTokenizer and TokenizerJsonTokenizer
// (both from @albert-ts/tokenizer) have it.
import type { AlbertTokenizer } from '@albert-ts/tokenizer';

export type TaskTokenizer = Pick<
  AlbertTokenizer,
  'encode' | 'encodeBatch' | 'encodeSequence' | 'encodeTokens' | 'padId'
>;
