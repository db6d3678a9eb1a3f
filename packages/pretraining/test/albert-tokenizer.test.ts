// The corpus pipeline with the real AlbertTokenizer of @albert-ts/tokenizer.
import { fileURLToPath } from 'node:url';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { describe, expect, it } from 'vitest';
import { albertLineTokenizer } from '../src/corpus/albert-line-tokenizer.js';
import { type PretrainingBatch, PretrainingCorpus } from '../src/index.js';
import { wordStarts } from '../src/masking/word-start.js';
import { ALBERT, fixtureTokenizer, SLICE_TEXT, sliceLines, toPieces } from './gutenberg-fixture.js';

const MODEL = fileURLToPath(new URL('./fixtures/albert-30k.model', import.meta.url));

describe('albertLineTokenizer', () => {
  it('gives the ids Google SentencePiece + ALBERT preprocessing gave, and the same word starts', async () => {
    const tokenize = albertLineTokenizer(await AlbertTokenizer.fromFile(MODEL));
    const lines = sliceLines().filter((l) => l.text.trim() !== '');
    let mismatches = 0;
    for (const { text, ids } of lines) {
      const got = tokenize(text);
      if (got.ids.join(' ') !== ids.join(' ')) mismatches++;
      else if ('wordStart' in got && got.wordStart.join('') !== wordStarts(toPieces(ids)).join('')) mismatches++;
    }
    expect(lines.length).toBe(903);
    expect(mismatches).toBe(0);
  });

  it('feeds the corpus pipeline', async () => {
    const tokenizer = await AlbertTokenizer.fromFile(MODEL);
    const corpus = new PretrainingCorpus({
      files: [fileURLToPath(SLICE_TEXT)],
      tokenize: albertLineTokenizer(tokenizer),
      seed: 42,
      batchSize: 8,
      maxSeqLength: 128,
      clsId: tokenizer.clsId,
      sepId: tokenizer.sepId,
      maskTokenId: tokenizer.maskId,
      padId: tokenizer.padId,
      vocabSize: tokenizer.vocabSize,
    });
    expect([tokenizer.clsId, tokenizer.sepId, tokenizer.maskId, tokenizer.padId]).toEqual([
      ALBERT.cls,
      ALBERT.sep,
      ALBERT.mask,
      ALBERT.pad,
    ]);
    const batches: PretrainingBatch[] = [];
    for await (const b of corpus.batches()) batches.push(b);
    // Google SentencePiece's ids (the fixture) through the same pipeline: identical batches.
    const reference = new PretrainingCorpus({
      files: [fileURLToPath(SLICE_TEXT)],
      tokenize: fixtureTokenizer(),
      seed: 42,
      batchSize: 8,
      maxSeqLength: 128,
      clsId: ALBERT.cls,
      sepId: ALBERT.sep,
      maskTokenId: ALBERT.mask,
      padId: ALBERT.pad,
      vocabSize: ALBERT.vocabSize,
    });
    const expected: PretrainingBatch[] = [];
    for await (const b of reference.batches()) expected.push(b);
    expect(batches.length).toBeGreaterThan(40);
    expect(batches).toEqual(expected);
    const text = tokenizer.decode(batches[0]?.inputIds.subarray(0, 128) ?? [], { skipSpecialTokens: false });
    expect(text.startsWith('[CLS]')).toBe(true);
  });
});
