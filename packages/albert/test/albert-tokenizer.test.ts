// albert-ts's AlbertTokenizer: the tokenizer package's class plus fromPretrained (spiece.model and
// tokenizer_config.json of a folder, URL or hub id; the hub is tested in tokenizer-hub.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertTokenizer as SlowAlbertTokenizer } from '@albert-ts/tokenizer';
import { describe, expect, it } from 'vitest';
import { AlbertTokenizer, AutoTokenizer, PipelineError } from '../src/index.js';
import { ALBERT_30K, EXPECTED, fixtureBytes } from './helpers/albert-30k.js';
import { FIXTURES, fixture, tempFolder } from './helpers/fixtures.js';

const SPIECE = new Uint8Array(readFileSync(join(FIXTURES, 'spiece.model')));

describe('AlbertTokenizer.fromPretrained', () => {
  it("reads spiece.model and tokenizer_config.json of a folder: HF's ids for albert-base-v2's tokenizer", async () => {
    const tok = await AlbertTokenizer.fromPretrained(ALBERT_30K);
    expect(tok.vocabSize).toBe(30000);
    expect(tok.modelMaxLength).toBe(512);
    expect(tok.maskToken).toBe('[MASK]'); // an AddedToken object in tokenizer_config.json
    for (const { text, inputIds } of EXPECTED.spiece) expect([...tok.encode(text).inputIds], text).toEqual(inputIds);
  });

  it("reads a model folder's settings (tiny-qa: model_max_length 64)", async () => {
    const tok = await AlbertTokenizer.fromPretrained(fixture('tiny-qa'));
    expect([tok.vocabSize, tok.modelMaxLength, tok.clsId, tok.sepId, tok.padId, tok.maskId]).toEqual([
      1000, 64, 2, 3, 0, 4,
    ]);
  });

  it("is the tokenizer package's class, extended: instanceof holds for both, from every constructor", async () => {
    expect(Object.getPrototypeOf(AlbertTokenizer)).toBe(SlowAlbertTokenizer);
    const made = [
      await AlbertTokenizer.fromPretrained(fixture('tiny-qa')),
      AlbertTokenizer.fromBytes(SPIECE, { modelMaxLength: 64 }),
      await AlbertTokenizer.fromFile(join(FIXTURES, 'spiece.model'), { modelMaxLength: 64 }),
      await AutoTokenizer.fromPretrained(fixture('tiny-qa')),
    ];
    const direct = SlowAlbertTokenizer.fromBytes(SPIECE);
    const text = 'Alice was beginning to get very tired of sitting by her sister on the bank.';
    for (const tok of made) {
      expect(tok).toBeInstanceOf(AlbertTokenizer);
      expect(tok).toBeInstanceOf(SlowAlbertTokenizer);
      expect(tok.modelMaxLength).toBe(64);
      expect([...tok.encode(text).inputIds]).toEqual([...direct.encode(text).inputIds]);
    }
  });

  it('a folder with only tokenizer.json: a no-tokenizer error that points to AutoTokenizer, which loads it', async () => {
    const err = await AlbertTokenizer.fromPretrained(fixture('tiny-json')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).code).toBe('no-tokenizer');
    expect((err as Error).message).toContain(fixture('tiny-json'));
    expect((err as Error).message).toMatch(/has no spiece\.model.*only tokenizer\.json.*AutoTokenizer\.fromPretrained/);
    expect((await AutoTokenizer.fromPretrained(fixture('tiny-json'))).modelMaxLength).toBe(64);
  });

  it('a folder with neither file: the no-tokenizer error saying what to add', async () => {
    const dir = tempFolder('tiny-qa');
    const err = await AlbertTokenizer.fromPretrained(dir).catch((e: unknown) => e);
    expect((err as PipelineError).code).toBe('no-tokenizer');
    expect((err as Error).message).toMatch(
      /neither spiece\.model nor tokenizer\.json is there\. Copy the SentencePiece model/,
    );
    expect((err as Error).message).toContain(dir);
  });

  it('a tokenizer_config.json special token outside the vocabulary: an error naming the token', async () => {
    const dir = tempFolder('tiny-qa', {
      'spiece.model': fixtureBytes(ALBERT_30K, 'spiece.model'),
      'tokenizer_config.json': JSON.stringify({ cls_token: '<s>' }),
    });
    await expect(AlbertTokenizer.fromPretrained(dir)).rejects.toThrow(
      /cls token "<s>" is not in the SentencePiece vocabulary/,
    );
  });
});
