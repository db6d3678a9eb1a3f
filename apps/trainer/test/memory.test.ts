// The app's own tensor code (held-out pretraining metrics, task evaluation, batch → tensors) leaves
// no tensor behind: tf.memory().numTensors is the same before and after repeated calls.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import { AlbertForPreTraining, type PretrainingBatch, PretrainingCorpus } from '@albert-ts/pretraining';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusOptions, EXAMPLE_DEFAULTS } from '../src/data/corpus-options.js';
import { evaluatePretraining } from '../src/pretrain/mlm-eval.js';
import { glueTask } from '../src/tasks/glue-task.js';
import { FIXTURES } from './helpers/run-cli.js';

const folder = join(FIXTURES, 'hf-albert', 'tiny-pretraining'); // HF weights, vocabulary 1000
let tokenizer: AlbertTokenizer;

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
  tokenizer = AlbertTokenizer.fromBytes(new Uint8Array(readFileSync(join(FIXTURES, 'gutenberg-1k.model'))));
});

describe('tensor memory', () => {
  it('evaluatePretraining: flat over repeated calls, same metrics each time', async () => {
    const model = await AlbertForPreTraining.fromPretrained(folder);
    const options = corpusOptions(
      tokenizer,
      [join(FIXTURES, 'gutenberg-slice.txt')],
      { ...EXAMPLE_DEFAULTS, maxSeqLength: 48 },
      { batchSize: 4 },
    );
    const batches: PretrainingBatch[] = [];
    for await (const b of new PretrainingCorpus({ ...options, masking: 'static' }).batches()) {
      batches.push(b);
      if (batches.length === 3) break;
    }
    const first = await evaluatePretraining(model, batches);
    const before = tf.memory().numTensors;
    const again = await evaluatePretraining(model, batches);
    await evaluatePretraining(model, batches);
    expect(tf.memory().numTensors).toBe(before);
    expect(again).toEqual(first);
    expect(first.perplexity).toBeCloseTo(Math.exp(first.mlm_loss), 10);
    expect(first.masked_tokens).toBe(batches.reduce((a, b) => a + b.labels.filter((l) => l !== -100).length, 0));
    model.dispose();
  });

  it('GLUE evaluation: flat over repeated calls', async () => {
    const task = glueTask('sst2');
    const dev = await task.read(join(FIXTURES, 'sst2-dev-200.tsv'), tokenizer, { maxSeqLength: 48, limit: 24 }, 'dev');
    const model = await task.load(folder, { seed: 1, warn: () => {} });
    const first = await task.evaluate(model, dev, 8);
    const before = tf.memory().numTensors;
    const again = await task.evaluate(model, dev, 8);
    expect(tf.memory().numTensors).toBe(before);
    expect(again.metrics).toEqual(first.metrics);
    expect(Object.keys(first.predictions ?? {})).toHaveLength(24);
    model.dispose();
  });
});
