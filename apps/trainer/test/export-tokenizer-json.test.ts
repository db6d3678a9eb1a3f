// `albert-train export --tokenizer-json`: the exported folder gains the Hugging Face fast tokenizer
// converted from its spiece.model. For gutenberg-1k.model (trained with ALBERT's recipe: the same
// special and user-defined pieces, the same nmt_nfkc charsmap) every part but the vocabulary equals
// transformers' own conversion of Google's 30k-clean.model (the skeleton fixture); the vocabulary is
// the model's pieces and scores, and the file loads into a tokenizer that encodes as spiece.model does.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlbertTokenizer, parseModelProto } from '@albert-ts/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../src/commands/export.js';
import { FIXTURES } from './helpers/run-cli.js';

const SPIECE = join(FIXTURES, 'gutenberg-1k.model');
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'albert-export-json-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function exportTo(name: string, tokenizerJson?: boolean | string) {
  return exportCommand({
    checkpoint: join(FIXTURES, 'hf-albert', 'tiny-pretraining'),
    output: join(dir, name),
    tokenizer: SPIECE,
    modelMaxLength: 512,
    tokenizerJson,
    backend: 'cpu',
    quiet: true,
  });
}

describe('export --tokenizer-json', () => {
  it("writes tokenizer.json whose every part but the vocabulary is transformers' conversion", async () => {
    const summary = await exportTo('current', true);
    const file = join(dir, 'current', 'tokenizer.json');
    expect(summary.files['tokenizer.json']).toBe(readFileSync(file).length);
    const ours = JSON.parse(readFileSync(file, 'utf8'));
    const want = JSON.parse(readFileSync(join(FIXTURES, 'albert-30k.tokenizer.skeleton.json'), 'utf8'));
    const { vocab, ...modelSettings } = ours.model;
    expect({ ...ours, model: modelSettings }).toEqual(want);

    const model = parseModelProto(new Uint8Array(readFileSync(SPIECE)));
    expect(vocab.map(([piece]: [string]) => piece)).toEqual(model.pieces.map((p) => p.piece));
    vocab.forEach(([piece, score]: [string, number], i: number) => {
      const shifted = /[0-9],$/.test(piece); // the converter's digit–comma rule
      expect(score, piece).toBe((model.pieces[i]?.score as number) - (shifted ? 100 : 0));
    });
  });

  it('the legacy form leaves out the user-defined pieces and encodes every slice line as spiece.model does', async () => {
    await exportTo('legacy', 'legacy');
    const json = readFileSync(join(dir, 'legacy', 'tokenizer.json'), 'utf8');
    expect(JSON.parse(json).added_tokens.map((t: { content: string }) => t.content)).toEqual([
      '<pad>',
      '<unk>',
      '[CLS]',
      '[SEP]',
      '[MASK]',
    ]);
    const fast = AlbertTokenizer.fromTokenizerJson(json);
    const slow = AlbertTokenizer.fromBytes(new Uint8Array(readFileSync(SPIECE)));
    const lines = readFileSync(join(FIXTURES, 'gutenberg-slice.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(0, 200);
    expect(lines.length).toBe(200);
    const differ = lines.filter((l) => fast.encode(l).inputIds.join(' ') !== slow.encode(l).inputIds.join(' '));
    expect(differ).toEqual([]);
  });

  it('writes no tokenizer.json without the flag, and refuses an unknown form before writing anything', async () => {
    await exportTo('plain');
    expect(existsSync(join(dir, 'plain', 'tokenizer.json'))).toBe(false);
    await expect(exportTo('bad', 'fast')).rejects.toThrow(
      /--tokenizer-json takes 'current' or 'legacy' \(got 'fast'\)/,
    );
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});
