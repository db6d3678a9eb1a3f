// The trainer's sentence normalizer: SentencePiece's Normalizer::Normalize applied to training text
// (charsmap longest match, leading/trailing/repeated whitespace removed, ' ' → '▁', dummy prefix).

import { decodeCharsMap } from '../normalizer/charsmap.js';
import type { TrainerOptions } from './options.js';

const SPACE_SYMBOL = '\u2581';

export function createTrainerNormalizer(
  charsmap: Uint8Array | undefined,
  o: Pick<TrainerOptions, 'addDummyPrefix' | 'removeExtraWhitespaces'>,
): (text: string) => string {
  const rules = new Map<string, string>();
  // Longest key (UTF-16 units) of the rules starting with each code unit; 0: no rule starts with it.
  const maxKey = new Uint8Array(0x10000);
  if (charsmap !== undefined) {
    for (const r of decodeCharsMap(charsmap)) {
      rules.set(r.from, r.to);
      const c = r.from.charCodeAt(0);
      maxKey[c] = Math.max(maxKey[c] as number, Math.min(255, r.from.length));
    }
  }
  // Longest rule matching at i: [replacement, length consumed].
  const prefix = (text: string, i: number): [string, number] => {
    for (let len = Math.min(maxKey[text.charCodeAt(i)] as number, text.length - i); len > 0; len--) {
      const to = rules.get(text.slice(i, i + len));
      if (to !== undefined) return [to, len];
    }
    const c = text.charCodeAt(i);
    const len = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    return [text.slice(i, i + len), len];
  };
  return (text: string) => {
    let i = 0;
    if (o.removeExtraWhitespaces) {
      while (i < text.length) {
        const [to, len] = prefix(text, i);
        if (to !== ' ') break;
        i += len;
      }
    }
    if (i >= text.length) return '';
    let out = o.addDummyPrefix ? SPACE_SYMBOL : '';
    let prevSpace = o.removeExtraWhitespaces;
    while (i < text.length) {
      const [to, len] = prefix(text, i);
      i += len;
      let sp = to;
      if (o.removeExtraWhitespaces && prevSpace) {
        let k = 0;
        while (k < sp.length && sp.charCodeAt(k) === 0x20) k++;
        sp = sp.slice(k);
      }
      if (sp.length === 0) continue;
      out += sp.replaceAll(' ', SPACE_SYMBOL);
      prevSpace = sp.endsWith(' ');
    }
    if (o.removeExtraWhitespaces) {
      let end = out.length;
      while (end > 0 && out.charCodeAt(end - 1) === 0x2581) end--;
      out = out.slice(0, end);
    }
    return out;
  };
}
