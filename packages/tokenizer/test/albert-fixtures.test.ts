// Parity with Hugging Face's slow AlbertTokenizer on the shared fixtures (152 texts, 30 pairs).
import { describe, expect, it } from 'vitest';
import { albert, readJsonl } from './load.js';

interface TextCase {
  text: string;
  pieces: string[];
  ids: number[];
  encoded: { input_ids: number[]; token_type_ids: number[]; attention_mask: number[] };
  decoded: string;
  decoded_no_cleanup: string;
}
interface PairCase {
  a: string;
  b: string;
  input_ids: number[];
  token_type_ids: number[];
  attention_mask: number[];
}

const texts = readJsonl<TextCase>('albert-30k.jsonl');
const pairs = readJsonl<PairCase>('albert-30k.pairs.jsonl');

describe('AlbertTokenizer vs HF slow tokenizer: albert-30k.jsonl', () => {
  it('has all 152 texts', () => expect(texts.length).toBe(152));
  it.each(texts.map((c, i) => [i, c] as const))('text %i', (_i, c) => {
    const tok = albert();
    expect(tok.tokenize(c.text)).toEqual(c.pieces);
    expect([...tok.encodeSequence(c.text).ids]).toEqual(c.ids);
    const enc = tok.encode(c.text);
    expect([...enc.inputIds]).toEqual(c.encoded.input_ids);
    expect([...enc.tokenTypeIds]).toEqual(c.encoded.token_type_ids);
    expect([...enc.attentionMask]).toEqual(c.encoded.attention_mask);
    expect(tok.decode(c.ids)).toBe(c.decoded);
    expect(tok.decode(c.ids, { cleanUpTokenizationSpaces: false })).toBe(c.decoded_no_cleanup);
  });
});

describe('AlbertTokenizer vs HF slow tokenizer: albert-30k.pairs.jsonl', () => {
  it('has all 30 pairs', () => expect(pairs.length).toBe(30));
  it.each(pairs.map((c, i) => [i, c] as const))('pair %i', (_i, c) => {
    const enc = albert().encode(c.a, c.b);
    expect([...enc.inputIds]).toEqual(c.input_ids);
    expect([...enc.tokenTypeIds]).toEqual(c.token_type_ids);
    expect([...enc.attentionMask]).toEqual(c.attention_mask);
    const n = c.input_ids.length;
    expect([...enc.specialTokensMask]).toEqual(
      c.input_ids.map((_, k) => (k === 0 || k === n - 1 || k === c.token_type_ids.indexOf(1) - 1 ? 1 : 0)),
    );
  });
});
