// Bad options and bad model folders: each a PipelineError with a code and a message that says what to
// do, and nothing left allocated. Bad input for every pipeline on every backend: bad-input.test.ts.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FeatureExtractionPipeline, pipeline } from '../src/index.js';
import { fixture, tempFolder } from './helpers/fixtures.js';
import { expectPipelineError } from './helpers/pipeline-error.js';

describe('bad options', () => {
  let extract: FeatureExtractionPipeline;
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
    extract = await pipeline('feature-extraction', fixture('tiny-seqcls'));
  });

  it('bad options: bad-option naming the option and the allowed values', async () => {
    await expectPipelineError(
      extract('text', { pooling: 'max' as 'mean' }),
      'bad-option',
      /pooling must be one of 'none', 'mean', 'cls', got a string/,
    );
    await expectPipelineError(
      pipeline('feature-extraction', fixture('tiny-seqcls'), { batchSize: 0 }),
      'bad-option',
      /batchSize must be a positive integer/,
    );
    const classify = await pipeline('text-classification', fixture('tiny-seqcls'));
    const before = tf.memory().numTensors;
    await expectPipelineError(
      classify('text', { functionToApply: 'relu' as 'none' }),
      'bad-option',
      /^text-classification: functionToApply must be one of 'softmax', 'sigmoid', 'none', got a string$/,
    );
    await expectPipelineError(
      classify('text', { topK: 1.5 }),
      'bad-option',
      /^text-classification: topK must be a positive integer, got a number \(1\.5\)$/,
    );
    expect(tf.memory().numTensors).toBe(before);
    classify.dispose();
  });

  it('a disposed pipeline says so', async () => {
    const p = await pipeline('feature-extraction', fixture('tiny-seqcls'));
    p.dispose();
    await expectPipelineError(p('text'), 'disposed', /was disposed/);
  });
});

describe('bad model folders', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
  });

  it('an architecture that does not fit the task: wrong-architecture, no weights loaded', async () => {
    const before = tf.memory().numTensors;
    await expectPipelineError(
      pipeline('fill-mask', fixture('tiny-seqcls')),
      'wrong-architecture',
      /^fill-mask: folder .*tiny-seqcls holds AlbertForSequenceClassification, but fill-mask needs AlbertForMaskedLM or AlbertForPreTraining\. Pass a model fine-tuned for fill-mask\.$/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('no spiece.model (nor tokenizer.json): no-tokenizer, no weights loaded', async () => {
    const before = tf.memory().numTensors;
    await expectPipelineError(
      pipeline('fill-mask', tempFolder('tiny-pretraining')),
      'no-tokenizer',
      /neither spiece\.model nor tokenizer\.json/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('no model and no default model for the task (multiple choice ships none): says which model to pass', async () => {
    await expectPipelineError(
      pipeline('multiple-choice'),
      'no-default-model',
      /pipeline\('multiple-choice', '\.\/my-model'\)/,
    );
  });

  it('an unknown task', async () => {
    await expectPipelineError(
      pipeline('summarization' as 'fill-mask', fixture('tiny-seqcls')),
      'unknown-task',
      /unknown task "summarization"; tasks: /,
    );
  });
});
