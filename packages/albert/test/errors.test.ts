// Bad input and bad model folders: each a PipelineError with a code and a message that says what to
// do, and nothing left allocated.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AlbertError,
  type FeatureExtractionPipeline,
  PipelineError,
  type PipelineErrorCode,
  pipeline,
} from '../src/index.js';
import { fixture, tempFolder } from './helpers/fixtures.js';

async function failure(promise: Promise<unknown>, code: PipelineErrorCode, message: RegExp): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PipelineError);
  expect(err).toBeInstanceOf(AlbertError);
  expect((err as PipelineError).code).toBe(code);
  expect((err as Error).message).toMatch(message);
}

describe('bad input', () => {
  let extract: FeatureExtractionPipeline;
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
    extract = await pipeline('feature-extraction', fixture('tiny-seqcls'));
  });

  it('an empty string, only whitespace, an empty array, a non-string: bad-input naming the input', async () => {
    const before = tf.memory().numTensors;
    await failure(extract(''), 'bad-input', /^feature-extraction: text is empty$/);
    await failure(extract(' \n\t'), 'bad-input', /text is empty \(only whitespace\)/);
    await failure(extract([]), 'bad-input', /the input array is empty/);
    await failure(
      extract(42 as unknown as string),
      'bad-input',
      /expected a string or an array of strings, got a number \(42\)/,
    );
    await failure(extract(['fine', null as unknown as string]), 'bad-input', /text \[1\] must be a string, got null/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bad options: bad-option naming the option and the allowed values', async () => {
    await failure(
      extract('text', { pooling: 'max' as 'mean' }),
      'bad-option',
      /pooling must be one of 'none', 'mean', 'cls', got a string/,
    );
    await failure(
      pipeline('feature-extraction', fixture('tiny-seqcls'), { batchSize: 0 }),
      'bad-option',
      /batchSize must be a positive integer/,
    );
  });

  it('fill-mask without a [MASK]: bad-input saying where to put it', async () => {
    const fill = await pipeline('fill-mask', fixture('tiny-pretraining'), { warn: () => {} });
    const before = tf.memory().numTensors;
    await failure(
      fill(['a [MASK] here', 'none here']),
      'bad-input',
      /input \[1\] has no \[MASK\] token; write \[MASK\] where a word should be filled in/,
    );
    await failure(fill('x', { topK: 0 }), 'bad-option', /topK must be a positive integer/);
    expect(tf.memory().numTensors).toBe(before);
    fill.dispose();
  });

  it('sentence-similarity without sentences', async () => {
    const sim = await pipeline('sentence-similarity', fixture('tiny-seqcls'));
    await failure(sim({ source: 'a', sentences: [] }), 'bad-input', /input\.sentences must be a non-empty array/);
    await failure(sim('a' as never), 'bad-input', /must be an object \{ source, sentences \}, got a string/);
    sim.dispose();
  });

  it('a disposed pipeline says so', async () => {
    const p = await pipeline('feature-extraction', fixture('tiny-seqcls'));
    p.dispose();
    await failure(p('text'), 'disposed', /was disposed/);
  });
});

describe('bad model folders', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
  });

  it('an architecture that does not fit the task: wrong-architecture, no weights loaded', async () => {
    const before = tf.memory().numTensors;
    await failure(
      pipeline('fill-mask', fixture('tiny-seqcls')),
      'wrong-architecture',
      /^fill-mask: folder .*tiny-seqcls holds AlbertForSequenceClassification, but fill-mask needs AlbertForMaskedLM or AlbertForPreTraining\. Pass a model fine-tuned for fill-mask\.$/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('no spiece.model (nor tokenizer.json): no-tokenizer, no weights loaded', async () => {
    const before = tf.memory().numTensors;
    await failure(
      pipeline('fill-mask', tempFolder('tiny-pretraining')),
      'no-tokenizer',
      /neither spiece\.model nor tokenizer\.json/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('no model and no default model for the task (multiple choice ships none): says which model to pass', async () => {
    await failure(pipeline('multiple-choice'), 'no-default-model', /pipeline\('multiple-choice', '\.\/my-model'\)/);
  });

  it('an unknown task', async () => {
    await failure(
      pipeline('summarization' as 'fill-mask', fixture('tiny-seqcls')),
      'unknown-task',
      /unknown task "summarization"; tasks: /,
    );
  });
});
