import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import { AlbertTokenizer, TokenizerJsonTokenizer } from '@albert-ts/tokenizer';
import { describe, expect, it } from 'vitest';
import { AutoTokenizer, PipelineError, pipeline } from '../src/index.js';
import { FIXTURES, fixture, tempFolder } from './helpers/fixtures.js';

const SPIECE = new Uint8Array(readFileSync(join(FIXTURES, 'spiece.model')));
const TEXTS = [
  'Alice was beginning to get very tired of sitting by her sister on the bank.',
  'So she was considering in her own mind, as well as she could, for the hot day made her feel very sleepy!',
  '  Down,   down, down. Would the fall NEVER come to an end?',
];

describe('AutoTokenizer.fromPretrained', () => {
  it('reads spiece.model with tokenizer_config.json (model_max_length, lower-casing)', async () => {
    const tok = await AutoTokenizer.fromPretrained(fixture('tiny-qa'));
    expect(tok).toBeInstanceOf(AlbertTokenizer);
    const albert = tok as AlbertTokenizer;
    expect(albert.vocabSize).toBe(1000);
    expect(albert.modelMaxLength).toBe(64);
    expect([albert.doLowerCase, albert.keepAccents, albert.removeSpace]).toEqual([true, false, true]);
    expect([albert.clsId, albert.sepId, albert.padId, albert.maskId]).toEqual([2, 3, 0, 4]);
    const direct = AlbertTokenizer.fromBytes(SPIECE);
    for (const text of TEXTS) expect([...tok.encode(text).inputIds]).toEqual([...direct.encode(text).inputIds]);
  });

  it("maps do_lower_case, keep_accents, remove_space, AddedToken special tokens and HF's 'no limit'", async () => {
    const dir = tempFolder('tiny-qa', {
      'spiece.model': SPIECE,
      'tokenizer_config.json': JSON.stringify({
        do_lower_case: false,
        keep_accents: true,
        remove_space: false,
        model_max_length: 1e30,
        mask_token: { content: '[MASK]', lstrip: true, rstrip: false, normalized: false, __type: 'AddedToken' },
        pad_token: '<pad>',
      }),
    });
    const tok = (await AutoTokenizer.fromPretrained(dir)) as AlbertTokenizer;
    expect([tok.doLowerCase, tok.keepAccents, tok.removeSpace]).toEqual([false, true, false]);
    expect(tok.modelMaxLength).toBeUndefined();
    expect(tok.maskToken).toBe('[MASK]');
    // no lower-casing: "Alice" is not the vocabulary's "▁alice"
    expect(tok.tokenize('Alice')).not.toEqual(['▁alice']);
    expect(tok.tokenize('alice')).toEqual(['▁alice']);
  });

  it('special_tokens_map.json overrides tokenizer_config.json; a token outside the vocabulary is an error', async () => {
    const dir = tempFolder('tiny-qa', {
      'spiece.model': SPIECE,
      'tokenizer_config.json': '{}',
      'special_tokens_map.json': JSON.stringify({ mask_token: '[NOPE]' }),
    });
    await expect(AutoTokenizer.fromPretrained(dir)).rejects.toThrow(
      /mask token "\[NOPE\]" is not in the SentencePiece vocabulary/,
    );
  });

  it('reads tokenizer.json when there is no spiece.model; the same ids as the slow tokenizer on plain text', async () => {
    const tok = await AutoTokenizer.fromPretrained(fixture('tiny-json'));
    expect(tok).toBeInstanceOf(TokenizerJsonTokenizer);
    expect(tok.modelMaxLength).toBe(64);
    const slow = AlbertTokenizer.fromBytes(SPIECE);
    for (const text of TEXTS) expect([...tok.encode(text).inputIds]).toEqual([...slow.encode(text).inputIds]);
  });

  it('prefers tokenizer.json when asked', async () => {
    const dir = tempFolder('tiny-qa', {
      'spiece.model': SPIECE,
      'tokenizer.json': readFileSync(join(fixture('tiny-json'), 'tokenizer.json')),
    });
    expect(await AutoTokenizer.fromPretrained(dir)).toBeInstanceOf(AlbertTokenizer);
    expect(await AutoTokenizer.fromPretrained(dir, { prefer: 'tokenizer.json' })).toBeInstanceOf(
      TokenizerJsonTokenizer,
    );
  });

  it('a folder with neither spiece.model nor tokenizer.json: a PipelineError saying what to add', async () => {
    const dir = tempFolder('tiny-qa');
    const err = await AutoTokenizer.fromPretrained(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).code).toBe('no-tokenizer');
    expect((err as Error).message).toMatch(/neither spiece\.model nor tokenizer\.json/);
    expect((err as Error).message).toContain(dir);
  });

  it('a broken tokenizer_config.json names the file', async () => {
    const dir = tempFolder('tiny-qa', { 'spiece.model': SPIECE, 'tokenizer_config.json': '{ nope' });
    await expect(AutoTokenizer.fromPretrained(dir)).rejects.toThrow(
      /tokenizer_config\.json in folder .* is not valid JSON/,
    );
  });

  it('a pipeline on a folder with only tokenizer.json gives what the spiece.model folder gives on plain text', async () => {
    await initBackend({ prefer: 'cpu' });
    const [json, spiece] = await Promise.all([
      pipeline('text-classification', fixture('tiny-json')),
      pipeline('text-classification', fixture('tiny-seqcls')),
    ]);
    const a = await json(TEXTS, { topK: null });
    const b = await spiece(TEXTS, { topK: null });
    expect(a).toEqual(b);
    json.dispose();
    spiece.dispose();
  });
});
