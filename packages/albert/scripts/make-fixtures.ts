// Builds packages/albert/test/fixtures: Hugging Face model folders for the pipeline tests.
//   node --conditions=@albert-ts/source --import tsx packages/albert/scripts/make-fixtures.ts
// Reads ../shared (the project's reference fixtures and data); the tests never do.
//
// - spiece.model: a 1000-piece SentencePiece unigram model trained with ALBERT's recipe
//   (@albert-ts/tokenizer's trainer, preset 'albert') on the first 300 kB of Project Gutenberg
//   text in ../shared/data/gutenberg_en/train.txt, so its ids fit the tiny models' vocabulary (1000).
// - tiny-*: config.json + model.safetensors of ../shared/fixtures/hf-albert/<case> (HF weights,
//   random), each with that spiece.model (a symlink to test/fixtures/spiece.model) and a tokenizer_config.json (model_max_length 64, the
//   models' max_position_embeddings). tiny-ner and tiny-nli are tiny-tokcls and tiny-seqcls with
//   task label names in config.json (same weights).
// - tiny-json: tiny-seqcls with tokenizer.json instead of spiece.model: Hugging Face's own
//   albert-30k.tokenizer.json (what transformers' AlbertConverter wrote for albert-base-v2) with the
//   vocabulary (pieces and scores) replaced by the 1000-piece model's. Same normalizer (ALBERT's
//   charsmap), pre-tokenizer, template and added tokens; the first 13 pieces are the same in both.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelProto, trainUnigram } from '@albert-ts/tokenizer';

const root = join(import.meta.dirname, '..', '..', '..');
const shared = process.env.ALBERT_TS_SHARED ?? join(root, '..', 'shared'); // a worktree elsewhere: set ALBERT_TS_SHARED
const out = join(import.meta.dirname, '..', 'test', 'fixtures');

const corpus = readFileSync(join(shared, 'data', 'gutenberg_en', 'train.txt'), 'utf8').slice(0, 300_000);
const lines = corpus
  .split('\n')
  .slice(0, -1)
  .filter((l) => l.trim() !== '');
const { bytes, stats } = await trainUnigram(lines, { preset: 'albert', vocabSize: 1000, seed: 1 });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'spiece.model'), bytes);
console.log(`spiece.model: ${bytes.length} bytes from ${stats.sentences} lines`);

const tokenizerConfig = {
  tokenizer_class: 'AlbertTokenizer',
  do_lower_case: true,
  keep_accents: false,
  remove_space: true,
  bos_token: '[CLS]',
  eos_token: '[SEP]',
  unk_token: '<unk>',
  sep_token: '[SEP]',
  pad_token: '<pad>',
  cls_token: '[CLS]',
  mask_token: '[MASK]',
  model_max_length: 64,
};

function labels(names: string[]): { id2label: Record<string, string>; label2id: Record<string, number> } {
  return {
    id2label: Object.fromEntries(names.map((n, i) => [String(i), n])),
    label2id: Object.fromEntries(names.map((n, i) => [n, i])),
  };
}

const cases: [string, string, Record<string, unknown>][] = [
  ['tiny-pretraining', 'tiny-pretraining', {}],
  ['tiny-seqcls', 'tiny-seqcls', {}],
  ['tiny-nli', 'tiny-seqcls', labels(['contradiction', 'neutral', 'entailment'])],
  ['tiny-tokcls', 'tiny-tokcls', {}],
  ['tiny-ner', 'tiny-tokcls', labels(['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'])],
  ['tiny-qa', 'tiny-qa', {}],
  ['tiny-mc', 'tiny-mc', {}],
];
for (const [name, from, patch] of cases) {
  const src = join(shared, 'fixtures', 'hf-albert', from);
  const dst = join(out, name);
  mkdirSync(dst, { recursive: true });
  const config = { ...JSON.parse(readFileSync(join(src, 'config.json'), 'utf8')), ...patch };
  writeFileSync(join(dst, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  copyFileSync(join(src, 'model.safetensors'), join(dst, 'model.safetensors'));
  chmodSync(join(dst, 'model.safetensors'), 0o644);
  rmSync(join(dst, 'spiece.model'), { force: true });
  symlinkSync('../spiece.model', join(dst, 'spiece.model')); // one copy in the repository
  writeFileSync(join(dst, 'tokenizer_config.json'), `${JSON.stringify(tokenizerConfig, null, 2)}\n`);
  console.log(`${name}: from hf-albert/${from}`);
}

// tiny-json: the same tokenizer as a Hugging Face tokenizer.json
const pieces = parseModelProto(bytes).pieces;
const hfJson = JSON.parse(readFileSync(join(shared, 'fixtures', 'tokenizer', 'albert-30k.tokenizer.json'), 'utf8'));
for (const added of hfJson.added_tokens as { id: number; content: string }[]) {
  if (pieces[added.id]?.piece !== added.content) throw new Error(`piece ${added.id} is not ${added.content}`);
}
hfJson.model.vocab = pieces.map((p) => [p.piece, p.score]);
const jsonDir = join(out, 'tiny-json');
mkdirSync(jsonDir, { recursive: true });
for (const file of ['config.json', 'model.safetensors'])
  copyFileSync(join(out, 'tiny-seqcls', file), join(jsonDir, file));
writeFileSync(join(jsonDir, 'tokenizer.json'), JSON.stringify(hfJson));
writeFileSync(join(jsonDir, 'tokenizer_config.json'), `${JSON.stringify(tokenizerConfig, null, 2)}\n`);
console.log('tiny-json: tiny-seqcls with tokenizer.json');
