// The trainer normalizes sentences exactly as the encoder will (SentencePieceNormalizer: charsmap
// longest match, whitespace collapsing, ' ' → '▁', dummy prefix), with the user-defined symbols
// passed through unchanged as SentencePiece's trainer does.

import { SentencePieceNormalizer } from '../normalizer/sp-normalizer.js';
import type { TrainerOptions } from './options.js';

export function createTrainerNormalizer(
  charsmap: Uint8Array | undefined,
  o: Pick<TrainerOptions, 'addDummyPrefix' | 'removeExtraWhitespaces' | 'userDefinedSymbols'>,
): (text: string) => string {
  const normalizer = new SentencePieceNormalizer(
    {
      ...(charsmap !== undefined ? { precompiledCharsmap: charsmap } : {}),
      addDummyPrefix: o.addDummyPrefix,
      removeExtraWhitespaces: o.removeExtraWhitespaces,
    },
    {},
    o.userDefinedSymbols,
  );
  return (text) => normalizer.normalize(text).normalized;
}
