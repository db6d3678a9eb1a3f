// prepare-data through the CLI: the shards re-read with the TFRecord reader equal the examples the
// same corpus pipeline makes in this process; shard and worker counts are honoured; the records
// carry exactly the features google-research/albert's run_pretraining.py parses.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeExample,
  PretrainingCorpus,
  type PretrainingExample,
  readExamplesTFRecord,
  readTFRecordFile,
} from '@albert-ts/pretraining';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { describe, expect, it } from 'vitest';
import { corpusOptions } from '../src/data/corpus-options.js';
import { planShards } from '../src/data/shard-plan.js';
import { shardSeed } from '../src/data/write-shard.js';
import { FIXTURES, runCli, runJson } from './helpers/run-cli.js';

const corpus = join(FIXTURES, 'gutenberg-slice.txt');
const model = join(FIXTURES, 'gutenberg-1k.model');

// run_pretraining.py, input_fn_builder: name_to_features (+ token_boundary, which
// create_pretraining_data.py also writes and run_pretraining.py reads with --masked_lm_budget).
const ORIGINAL_FEATURES = [
  'input_ids',
  'input_mask',
  'masked_lm_ids',
  'masked_lm_positions',
  'masked_lm_weights',
  'next_sentence_labels',
  'segment_ids',
  'token_boundary',
];

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const plain = (e: PretrainingExample) => ({
  inputIds: [...e.inputIds],
  tokenTypeIds: [...e.tokenTypeIds],
  tokenBoundary: [...e.tokenBoundary],
  maskedPositions: [...e.maskedPositions],
  maskedIds: [...e.maskedIds],
  sentenceOrderLabel: e.sentenceOrderLabel,
});

describe('albert-train prepare-data', { timeout: 900_000 }, () => {
  it('writes N shards on W worker threads whose records equal the in-process examples', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'albert-train-prep-'));
    const out = join(dir, 'shards');
    const shards = 3;
    const args = ['prepare-data', '-i', corpus, '-t', model, '-o', out, '--max-seq-length', '64'];
    const summary = await runJson<{
      examples: number;
      threadsUsed: number;
      shards: { file: string; examples: number; threadId: number }[];
    }>([
      ...args,
      '--max-predictions-per-seq',
      '10',
      '--shards',
      String(shards),
      '--workers',
      '2',
      '--dupe-factor',
      '2',
    ]);

    const files = (await readdir(out)).filter((f) => f.endsWith('.tfrecord')).sort();
    expect(files).toEqual([
      'pretrain-00000-of-00003.tfrecord',
      'pretrain-00001-of-00003.tfrecord',
      'pretrain-00002-of-00003.tfrecord',
    ]);
    expect(summary.threadsUsed).toBe(2);
    expect(summary.shards.every((s) => s.threadId > 0)).toBe(true); // written in worker threads

    // The same shards, built in this process from the same byte ranges and seeds.
    const tokenizer = AlbertTokenizer.fromBytes(new Uint8Array(await readFile(model)));
    const plan = planShards([corpus], shards);
    const text = await readFile(corpus);
    let total = 0;
    for (const [index, parts] of plan.entries()) {
      expect(parts).toHaveLength(1);
      const part = parts[0] as { start: number; end: number };
      const slice = join(dir, `slice-${index}.txt`);
      await writeFile(slice, text.subarray(part.start, part.end));
      const shape = {
        maxSeqLength: 64,
        maxPredictionsPerSeq: 10,
        maskedLmProb: 0.15,
        shortSeqProb: 0.1,
        ngram: 3,
        seed: 12345,
        shuffleBuffer: 1000,
      };
      const options = corpusOptions(tokenizer, [slice], shape, {
        batchSize: 1,
        epochs: 2,
        seed: shardSeed(12345, index),
      });
      const expected = (await collect(new PretrainingCorpus(options).examples())).map(plain);
      const read = (await collect(readExamplesTFRecord(join(out, files[index] as string)))).map(plain);
      expect(read.length).toBe(expected.length);
      expect(read).toEqual(expected);
      expect(summary.shards[index]?.examples).toBe(expected.length);
      total += expected.length;
      // every record carries exactly the original feature names, padded to the flags' lengths
      for await (const raw of readTFRecordFile(join(out, files[index] as string))) {
        const features = decodeExample(raw);
        expect([...features.keys()].sort()).toEqual(ORIGINAL_FEATURES);
        const ids = features.get('input_ids');
        expect(ids?.kind === 'int64' && ids.values.length).toBe(64);
        const positions = features.get('masked_lm_positions');
        expect(positions?.kind === 'int64' && positions.values.length).toBe(10);
        break;
      }
    }
    expect(summary.examples).toBe(total);
    expect(total).toBeGreaterThan(100);
  });

  it('one worker writes every shard, with the same bytes as two workers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'albert-train-prep1-'));
    const common = ['prepare-data', '-i', corpus, '-t', model, '--max-seq-length', '48', '--shards', '2'];
    const one = await runJson<{ threadsUsed: number }>([...common, '-o', join(dir, 'a'), '--workers', '1']);
    const two = await runJson<{ threadsUsed: number }>([...common, '-o', join(dir, 'b'), '--workers', '2']);
    expect(one.threadsUsed).toBe(1);
    expect(two.threadsUsed).toBe(2);
    for (const f of ['pretrain-00000-of-00002.tfrecord', 'pretrain-00001-of-00002.tfrecord']) {
      expect(Buffer.compare(await readFile(join(dir, 'a', f)), await readFile(join(dir, 'b', f)))).toBe(0);
    }
  });

  it('says so when the corpus is too small for the shard count or the input is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'albert-train-prep2-'));
    const tiny = join(dir, 'tiny.txt');
    await writeFile(tiny, 'one short line.\n');
    const small = await runCli(['prepare-data', '-i', tiny, '-t', model, '-o', join(dir, 'o'), '--shards', '4']);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/too few lines for 4 shards: shard 1 would be empty/);
    const missing = await runCli(['prepare-data', '-i', join(dir, 'nope.txt'), '-t', model, '-o', join(dir, 'o')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/input file '.*nope\.txt' does not exist/);
  });
});
