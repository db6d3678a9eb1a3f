// tokenizerJsonFromModel: Google's 30k-clean.model (albert-30k.model) becomes, byte for byte, the
// tokenizer.json that transformers 4.57.6's conversion writes with tokenizers 0.22.2 (the shared
// fixture, current and legacy forms); the other options change exactly the parts they should.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlbertTokenizer, parseModelProto, TokenizerInputError, tokenizerJsonFromModel } from '../src/index.js';
import { fixture, readBytes } from './load.js';

const model = parseModelProto(readBytes('albert-30k.model'));
const reference = (name: string) => readFileSync(fixture(name), 'utf8');

describe('tokenizerJsonFromModel', () => {
  it("writes transformers' conversion of albert-30k.model byte for byte (current form)", () => {
    const ours = tokenizerJsonFromModel(model, { doLowerCase: true, keepAccents: false });
    const want = reference('albert-30k.tokenizer.json');
    expect(ours.length).toBe(want.length);
    expect(ours === want).toBe(true);
  });

  it('writes the legacy form (no USER_DEFINED added tokens) byte for byte', () => {
    expect(
      tokenizerJsonFromModel(model, { addedTokens: 'legacy' }) === reference('albert-30k.tokenizer.legacy.json'),
    ).toBe(true);
  });

  it('field by field: the parts a wrong writer would get wrong', () => {
    const json = JSON.parse(tokenizerJsonFromModel(model));
    const want = JSON.parse(reference('albert-30k.tokenizer.json'));
    for (const key of ['added_tokens', 'normalizer', 'pre_tokenizer', 'post_processor', 'decoder']) {
      expect(json[key], key).toEqual(want[key]);
    }
    expect(json.model.vocab.length).toBe(30000);
    const shifted = json.model.vocab.filter(([, s]: [string, number], i: number) => s !== model.pieces[i]?.score);
    expect(shifted.length).toBe(141); // digit + comma pieces: score − 100
    expect(shifted.every(([p]: [string]) => /\d,$/.test(p))).toBe(true);
    expect(json.model).toEqual(want.model);
  });

  it('keep_accents and do_lower_case change only the normalizer sequence', () => {
    const types = (o: Parameters<typeof tokenizerJsonFromModel>[1]) =>
      JSON.parse(tokenizerJsonFromModel(model, o)).normalizer.normalizers.map((n: { type: string }) => n.type);
    expect(types({})).toEqual(['Replace', 'Replace', 'NFKD', 'StripAccents', 'Lowercase', 'Precompiled', 'Replace']);
    expect(types({ keepAccents: true, doLowerCase: false })).toEqual(['Replace', 'Replace', 'Precompiled', 'Replace']);
  });

  it('loads back as a tokenizer that encodes like the model', () => {
    const tok = AlbertTokenizer.fromTokenizerJson(tokenizerJsonFromModel(model, { addedTokens: 'legacy' }));
    const slow = AlbertTokenizer.fromBytes(readBytes('albert-30k.model'));
    const text = 'The quick brown fox jumps over the lazy dog, 2,000 times.';
    expect([...tok.encode(text).inputIds]).toEqual([...slow.encode(text).inputIds]);
  });

  it('refuses a model without [CLS]/[SEP] and a bad option, saying what to do', () => {
    const bare = { ...model, pieces: model.pieces.filter((p) => p.piece !== '[SEP]') };
    expect(() => tokenizerJsonFromModel(bare)).toThrow(TokenizerInputError);
    expect(() => tokenizerJsonFromModel(bare)).toThrow(
      /no \[SEP\] piece.*train the tokenizer with ALBERT's special tokens/,
    );
    expect(() => tokenizerJsonFromModel(model, { addedTokens: 'old' as 'legacy' })).toThrow(/'current' or 'legacy'/);
  });
});
