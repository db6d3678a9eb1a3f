// 1500 random unicode texts (special tokens, Python whitespace, Σ/İ/K, compatibility characters,
// digit-comma pieces) against HF's slow-tokenizer behaviour computed in CPython
// (scripts/gen-albert-random.py, self-checked on albert-30k.jsonl).
import { describe, expect, it } from 'vitest';
import { AlbertTokenizer, type AlbertTokenizerOptions } from '../src/index.js';
import { albert, readBytes, readJsonl } from './load.js';

const cases = readJsonl<{ text: string; pieces: string[]; ids: number[] }>('albert-random.jsonl');

describe('AlbertTokenizer on random unicode (CPython reference)', () => {
  it('gives the same pieces and ids for all 1500 texts', () => {
    expect(cases.length).toBe(1500);
    const tok = albert();
    const bad = cases.filter((c) => {
      const pieces = tok.tokenize(c.text);
      const ids = [...tok.encodeSequence(c.text).ids];
      return JSON.stringify(pieces) !== JSON.stringify(c.pieces) || JSON.stringify(ids) !== JSON.stringify(c.ids);
    });
    expect(bad.map((c) => c.text)).toEqual([]);
  });
});

const optionCases = readJsonl<{ options: string; text: string; pieces: string[]; ids: number[] }>(
  'albert-random-options.jsonl',
);
const settings: Record<string, AlbertTokenizerOptions> = {
  keep_accents: { keepAccents: true },
  cased: { doLowerCase: false },
  cased_keep_accents: { doLowerCase: false, keepAccents: true },
  keep_space: { removeSpace: false },
};

describe('AlbertTokenizer with other settings on random unicode (CPython reference)', () => {
  for (const [name, options] of Object.entries(settings)) {
    it(`${name}: same pieces and ids for 400 texts`, () => {
      const tok = AlbertTokenizer.fromBytes(readBytes('albert-30k.model'), options);
      const cases = optionCases.filter((c) => c.options === name);
      expect(cases.length).toBe(400);
      const bad = cases.filter((c) => {
        const pieces = tok.tokenize(c.text);
        const ids = [...tok.encodeSequence(c.text).ids];
        return JSON.stringify(pieces) !== JSON.stringify(c.pieces) || JSON.stringify(ids) !== JSON.stringify(c.ids);
      });
      expect(bad.map((c) => c.text)).toEqual([]);
    });
  }
});

describe('AlbertTokenizer.decode vs HF (CPython reference, 600 id lists)', () => {
  it('decodes with and without clean-up and special tokens', () => {
    const cases = readJsonl<{ ids: number[]; decoded: string; no_cleanup: string; skip_special: string }>(
      'albert-decode.jsonl',
    );
    expect(cases.length).toBe(600);
    const tok = albert();
    const got = cases.map((c) => ({
      ids: c.ids,
      decoded: tok.decode(c.ids),
      no_cleanup: tok.decode(c.ids, { cleanUpTokenizationSpaces: false }),
      skip_special: tok.decode(c.ids, { skipSpecialTokens: true }),
    }));
    expect(got).toEqual(cases);
  });
});
