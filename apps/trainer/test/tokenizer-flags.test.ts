// A model folder's tokenizer_config.json travels with it: evaluate and finetune build their tokenizer
// with its flags (do_lower_case, keep_accents, remove_space), and export / finetune write them back
// (tokenizer_config.json, and tokenizer.json's normalizer). Here a cased, accent-keeping folder.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFolderTokenizerOptions } from '../src/cli/files.js';
import { exportCommand } from '../src/commands/export.js';
import { FIXTURES } from './helpers/run-cli.js';

const SPIECE = join(FIXTURES, 'gutenberg-1k.model');
const TEXT = 'The Café of Ærø, said Élise.';
let dir = '';
let cased = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'albert-tokenizer-flags-'));
  cased = join(dir, 'cased');
  cpSync(join(FIXTURES, 'hf-albert', 'tiny-pretraining'), cased, { recursive: true });
  writeFileSync(
    join(cased, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'AlbertTokenizer',
      do_lower_case: false,
      keep_accents: true,
      remove_space: true,
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a model folder's tokenizer flags", () => {
  it('are read from tokenizer_config.json; a folder without one gets ALBERT defaults', () => {
    expect(readFolderTokenizerOptions(cased)).toMatchObject({
      doLowerCase: false,
      keepAccents: true,
      removeSpace: true,
    });
    expect(readFolderTokenizerOptions(join(FIXTURES, 'hf-albert', 'tiny-pretraining'))).toEqual({});
  });

  it('invalid JSON is a clear error naming the file', () => {
    const broken = join(dir, 'broken');
    cpSync(cased, broken, { recursive: true });
    writeFileSync(join(broken, 'tokenizer_config.json'), '{ "do_lower_case": fals');
    expect(() => readFolderTokenizerOptions(broken)).toThrow(/tokenizer_config\.json is not valid JSON/);
  });

  it('export writes them back, into tokenizer_config.json and the normalizer of tokenizer.json', async () => {
    const out = join(dir, 'exported');
    await exportCommand({
      checkpoint: cased,
      output: out,
      tokenizer: SPIECE,
      modelMaxLength: 512,
      tokenizerJson: true,
      backend: 'cpu',
      quiet: true,
    });
    const config = JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8'));
    expect(config).toMatchObject({ do_lower_case: false, keep_accents: true, remove_space: true });
    // the fast tokenizer of the export encodes as the slow one with the folder's flags, not the defaults
    const fast = AlbertTokenizer.fromTokenizerJson(readFileSync(join(out, 'tokenizer.json'), 'utf8'));
    const spiece = new Uint8Array(readFileSync(SPIECE));
    const flagged = AlbertTokenizer.fromBytes(spiece, { doLowerCase: false, keepAccents: true });
    const defaults = AlbertTokenizer.fromBytes(spiece);
    expect(Array.from(fast.encode(TEXT).inputIds)).toEqual(Array.from(flagged.encode(TEXT).inputIds));
    expect(Array.from(flagged.encode(TEXT).inputIds)).not.toEqual(Array.from(defaults.encode(TEXT).inputIds));
  });
});
