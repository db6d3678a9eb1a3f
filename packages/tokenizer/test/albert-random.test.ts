// 1500 random unicode texts (special tokens, Python whitespace, Σ/İ/K, compatibility characters,
// digit-comma pieces) against HF's slow-tokenizer behaviour computed in CPython
// (scripts/gen-albert-random.py, self-checked on albert-30k.jsonl).
import { describe, expect, it } from 'vitest';
import { albert, readJsonl } from './load.js';

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
