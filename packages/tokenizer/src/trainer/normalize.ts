// The trainer normalizes sentences exactly as the encoder will (SentencePieceNormalizer: charsmap
// longest match, whitespace collapsing, ' ' → '▁', dummy prefix), with the user-defined symbols
// passed through unchanged as SentencePiece's trainer does.

import { AlignedText } from '../normalizer/aligned.js';
import { SentencePieceNormalizer } from '../normalizer/sp-normalizer.js';
import type { UnigramTrainerOptions } from './options.js';

export function createTrainerNormalizer(
  charsmap: Uint8Array | undefined,
  o: Pick<UnigramTrainerOptions, 'addDummyPrefix' | 'removeExtraWhitespaces' | 'userDefinedSymbols'>,
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
  // Reused buffers: no allocation per sentence beyond the output string.
  const input = new AlignedText();
  const output = new AlignedText();
  return (text) => {
    normalizer.normalizeAligned(input.setIdentity(text), output);
    const normalized = output.toString();
    input.shrink();
    output.shrink();
    return normalized;
  };
}
