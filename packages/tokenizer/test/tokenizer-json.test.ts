// tokenizer.json (HF fast-tokenizer files) reproduces HF's Rust tokenizers 0.22.2 on the current and
// legacy forms of albert-30k.tokenizer.json (albert-30k.tokenizer-json.expected.jsonl).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlbertTokenizer, ModelFormatError, type TokenizerJsonTokenizer } from '../src/index.js';
import { fixture, readJsonl } from './load.js';

interface Expected {
  text: string;
  text_pair?: string;
  current: { input_ids: number[]; tokens?: string[]; token_type_ids?: number[] };
  legacy: { input_ids: number[]; tokens?: string[]; token_type_ids?: number[] };
}
const cases = readJsonl<Expected>('albert-30k.tokenizer-json.expected.jsonl');
const load = (name: string) => AlbertTokenizer.fromTokenizerJson(readFileSync(fixture(name), 'utf8'));
const forms: [keyof Pick<Expected, 'current' | 'legacy'>, TokenizerJsonTokenizer][] = [
  ['current', load('albert-30k.tokenizer.json')],
  ['legacy', load('albert-30k.tokenizer.legacy.json')],
];

describe('tokenizer.json like HF Rust tokenizers', () => {
  it('has 152 texts and 30 pairs', () => {
    expect(cases.filter((c) => c.text_pair === undefined).length).toBe(152);
    expect(cases.filter((c) => c.text_pair !== undefined).length).toBe(30);
  });

  for (const [form, tok] of forms) {
    it(`${form} form: every text and pair`, () => {
      for (const c of cases) {
        const want = c[form];
        const enc = c.text_pair === undefined ? tok.encode(c.text) : tok.encode(c.text, c.text_pair);
        expect([...enc.inputIds], JSON.stringify(c.text)).toEqual(want.input_ids);
        if (want.tokens !== undefined) expect(['[CLS]', ...tok.tokenize(c.text), '[SEP]']).toEqual(want.tokens);
        if (want.token_type_ids !== undefined) expect([...enc.tokenTypeIds]).toEqual(want.token_type_ids);
      }
    });
  }

  it('gives the Rust library’s offsets too (legacy form, all 152 texts of albert-30k.offsets.jsonl)', () => {
    interface RustOffsets {
      text: string;
      input_ids: number[];
      offsets_utf16: [number, number][];
    }
    const tok = forms[1]?.[1] as TokenizerJsonTokenizer;
    const rust = readJsonl<RustOffsets>('albert-30k.offsets.jsonl');
    expect(rust.length).toBe(152);
    for (const c of rust) {
      const enc = tok.encode(c.text);
      expect([...enc.inputIds]).toEqual(c.input_ids);
      const offsets: [number, number][] = [];
      for (let i = 0; i < enc.inputIds.length; i++)
        offsets.push([enc.offsets[2 * i] as number, enc.offsets[2 * i + 1] as number]);
      expect(offsets, JSON.stringify(c.text)).toEqual(c.offsets_utf16);
    }
  });

  it('decodes with the Metaspace decoder', () => {
    const tok = forms[0]?.[1] as TokenizerJsonTokenizer;
    const ids = tok.encode('Hello world, this is ALBERT.').inputIds;
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('hello world, this is albert.');
  });

  it('rejects files it cannot run, saying what is missing', () => {
    expect(() => AlbertTokenizer.fromTokenizerJson('{"model": {"type": "BPE"}}')).toThrow(/only Unigram/);
    expect(() => AlbertTokenizer.fromTokenizerJson('not json')).toThrow(ModelFormatError);
    expect(() =>
      AlbertTokenizer.fromTokenizerJson({
        model: { type: 'Unigram', unk_id: 0, vocab: [['<unk>', 0]] },
        normalizer: { type: 'BertNormalizer' },
      }),
    ).toThrow(/BertNormalizer/);
  });
});
