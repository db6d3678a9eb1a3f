// The pre-tokenized Gutenberg slice (see fixtures/SOURCE.md) as documents of segments.
import { readFileSync } from 'node:fs';
import { parseModelProto } from '@albert-ts/tokenizer';
import { wordStarts } from '../src/masking/word-start.js';
import type { Segment } from '../src/sop/sop-builder.js';

const dir = new URL('./fixtures/', import.meta.url);
export const SLICE_TEXT = new URL('gutenberg-valid-slice.txt', dir);

export const ALBERT = { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4, vocabSize: 30000 } as const;

let pieces: string[] | null = null;
export function albertPieces(): string[] {
  pieces ??= parseModelProto(new Uint8Array(readFileSync(new URL('albert-30k.model', dir)))).pieces.map((p) => p.piece);
  return pieces;
}

/** Text line → ids, from the fixture pair (same line numbers). */
export function sliceLines(): { text: string; ids: Int32Array }[] {
  const texts = readFileSync(SLICE_TEXT, 'utf8').split('\n');
  const ids = readFileSync(new URL('gutenberg-valid-slice.ids.txt', dir), 'utf8').split('\n');
  return texts.map((text, i) => {
    const row = (ids[i] ?? '').trim();
    return { text, ids: row === '' ? new Int32Array(0) : Int32Array.from(row.split(' '), Number) };
  });
}

export function toPieces(ids: Int32Array): string[] {
  const table = albertPieces();
  return Array.from(ids, (id) => table[id] as string);
}

/** Documents (blank line = boundary) of segments with word-start flags. */
export function sliceDocuments(): Segment[][] {
  const docs: Segment[][] = [[]];
  for (const { text, ids } of sliceLines()) {
    if (text.trim() === '') {
      if ((docs[docs.length - 1] as Segment[]).length > 0) docs.push([]);
      continue;
    }
    if (ids.length === 0) continue;
    (docs[docs.length - 1] as Segment[]).push({ ids, wordStart: wordStarts(toPieces(ids)) });
  }
  return docs.filter((d) => d.length > 0);
}

/** A LineTokenizer answering from the pre-tokenized fixture (real SentencePiece output). */
export function fixtureTokenizer(): (text: string) => { ids: Int32Array; pieces: string[] } {
  const table = new Map<string, Int32Array>();
  for (const { text, ids } of sliceLines()) table.set(text, ids);
  return (text) => {
    const ids = table.get(text);
    if (ids == null) throw new Error(`line not in the pre-tokenized fixture: ${text.slice(0, 60)}`);
    return { ids, pieces: toPieces(ids) };
  };
}
