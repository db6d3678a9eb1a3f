// pipeline(task, model, { workers }) in Node: the pipeline in worker threads, each with its own model
// computing on one thread. References: AlbertModel's and the head's own forward passes in this thread
// (one unpadded input at a time), as in the in-process tests; the errors are the in-process ones.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AlbertModel } from '@albert-ts/core';
import { AlbertForSequenceClassification } from '@albert-ts/heads';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeatureExtractionPipeline, openModelSource, pipeline } from '../src/index.js';
import { nodeBackends, softmax, useBackend } from './helpers/backends.js';
import { fixture } from './helpers/fixtures.js';
import { expectPipelineError } from './helpers/pipeline-error.js';
import { forwardOne } from './helpers/reference.js';
import { ALICE_TEXTS } from './helpers/texts.js';

const BACKENDS = await nodeBackends();
// the workers pick the platform's best backend: native when it is built (CI), as a user's would
const WORKER_BACKEND = BACKENDS.includes('native') ? 'native' : (BACKENDS[0] as string);
const TEXTS = [
  ...ALICE_TEXTS,
  'Oh dear!',
  'It was all very well to say "Drink me," but the wise little Alice was not going to do that in a hurry.',
];
const LABELS = ['LABEL_0', 'LABEL_1', 'LABEL_2'];

function worstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe('feature-extraction and text-classification in two worker threads', () => {
  useBackend('cpu'); // this thread's references: the plain JavaScript backend
  let extractor: FeatureExtractionPipeline;
  let model: AlbertModel;
  let head: AlbertForSequenceClassification;
  let tok: AlbertTokenizer;

  beforeAll(async () => {
    extractor = await pipeline('feature-extraction', fixture('tiny-seqcls'), { batchSize: 2, workers: 2 });
    model = await AlbertModel.fromPretrained(fixture('tiny-seqcls'), { warn: () => {} });
    head = await AlbertForSequenceClassification.fromPretrained(fixture('tiny-seqcls'), { warn: () => {} });
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-seqcls')}/spiece.model`);
  });
  afterAll(() => {
    extractor.dispose();
    model.dispose();
    head.dispose();
  });

  it('reports two workers, each on the platform backend with one thread', () => {
    expect(extractor.workers).toBe(2);
    expect(extractor.backend?.backend).toBe(WORKER_BACKEND);
    if (WORKER_BACKEND === 'native') expect(extractor.backend?.threads).toBe(1);
    expect(extractor.config.hiddenSize).toBe(32);
    expect(Array.from(extractor.tokenizer.encode('Down, down, down.').inputIds)).toEqual(
      Array.from(tok.encode('Down, down, down.').inputIds),
    );
  });

  it("every input's vectors equal its unpadded forward pass, in the caller's order; nothing allocated here", async () => {
    const before = tf.memory().numTensors;
    const out = await extractor(TEXTS);
    expect(tf.memory().numTensors).toBe(before);
    expect(out).toHaveLength(TEXTS.length);
    TEXTS.forEach((text, i) => {
      const ids = tok.encode(text).inputIds;
      const ref = tf.tidy(() =>
        model.forward({ inputIds: tf.tensor2d(ids, [1, ids.length], 'int32') }).lastHiddenState.dataSync(),
      );
      expect(out[i]?.dims).toEqual([ids.length, 32]);
      expect(worstDiff(out[i]?.data as Float32Array, ref)).toBeLessThan(1e-4);
    });
    const one = await extractor(TEXTS[3] as string, { pooling: 'cls' });
    const ids = tok.encode(TEXTS[3] as string).inputIds;
    const cls = tf
      .tidy(() =>
        Array.from(model.forward({ inputIds: tf.tensor2d(ids, [1, ids.length], 'int32') }).lastHiddenState.dataSync()),
      )
      .slice(0, 32);
    expect(one.dims).toEqual([32]);
    expect(worstDiff(one.data, cls)).toBeLessThan(1e-4);
  });

  it('two calls at once both come back whole and right (the workers share them)', async () => {
    const [a, b] = await Promise.all([extractor(TEXTS, { pooling: 'mean' }), extractor([...TEXTS].reverse())]);
    expect(a).toHaveLength(TEXTS.length);
    expect(b).toHaveLength(TEXTS.length);
    const last = TEXTS.length - 1;
    expect(b[last]?.dims).toEqual([tok.encode(TEXTS[0] as string).inputIds.length, 32]);
  });

  it('text-classification: the best label and its softmax score for each input', async () => {
    const classify = await pipeline('text-classification', fixture('tiny-seqcls'), { workers: 2, batchSize: 3 });
    try {
      const out = await classify(TEXTS);
      TEXTS.forEach((text, i) => {
        const probs = softmax(forwardOne(head, tok.encode(text), ['logits'])[0] as number[]);
        const best = probs.indexOf(Math.max(...probs));
        expect(out[i]?.[0]?.label).toBe(LABELS[best]);
        expect(out[i]?.[0]?.score).toBeCloseTo(probs[best] as number, 5);
      });
      await expectPipelineError(classify(TEXTS, { topK: 0 }), 'bad-option', /topK/);
    } finally {
      classify.dispose();
    }
  });

  it("bad input: the in-process pipeline's own errors, with the caller's indices", async () => {
    await expectPipelineError(
      extractor([]),
      'bad-input',
      'feature-extraction: the input array is empty; pass at least one text',
    );
    await expectPipelineError(
      extractor(['fine', 'also fine', 'still fine', 42 as unknown as string]),
      'bad-input',
      'feature-extraction: text [3] must be a string, got a number (42)',
    );
    await expectPipelineError(extractor('   '), 'bad-input', 'feature-extraction: text is empty (only whitespace)');
  });

  it("truncated inputs in different batches: one warning line for the call, with the caller's indices", async () => {
    const warnings: string[] = [];
    const long = await pipeline('feature-extraction', fixture('tiny-seqcls'), {
      workers: 2,
      batchSize: 1, // every input its own batch: the two long ones go to different batches
      warn: (m) => warnings.push(m),
    });
    try {
      const a = TEXTS.join(' ').repeat(3);
      const b = TEXTS.join(' ').repeat(2);
      const out = await long(['Short.', a, 'Oh dear!', b]);
      expect(out.map((f) => f.dims)).toEqual([
        [tok.encode('Short.').inputIds.length, 32],
        [64, 32],
        [tok.encode('Oh dear!').inputIds.length, 32],
        [64, 32],
      ]);
      const [na, nb] = [a, b].map((t) => tok.encode(t).inputIds.length);
      expect(warnings).toEqual([
        `[albert-ts] feature-extraction: 2 inputs are longer than the model's 64 tokens ([1] ${na} tokens, [3] ${nb} tokens); truncated to 64.`,
      ]);
      warnings.length = 0;
      await long(b); // one input: the worker's own line
      expect(warnings).toEqual([
        `[albert-ts] feature-extraction: an input is longer than the model's 64 tokens ([0] ${nb} tokens); truncated to 64.`,
      ]);
    } finally {
      long.dispose();
    }
  });

  it('a script that never calls dispose() still ends: idle workers do not keep the process alive', () => {
    const script = `
      import { pipeline } from 'albert-ts';
      const embed = await pipeline('feature-extraction', ${JSON.stringify(fixture('tiny-seqcls'))}, { workers: 2, pooling: 'cls' });
      const out = await embed(['Down, down, down.', 'Oh dear!']);
      console.log(out.length, out[0].dims.join('x'));`;
    const run = spawnSync(
      process.execPath,
      ['--conditions=@albert-ts/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.signal).toBeNull(); // not killed by the timeout
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('2 32');
    expect(run.status).toBe(0);
  });

  it("fill-mask: an error raised while running names the caller's input; a warning about the call's options comes once", async () => {
    const warnings: string[] = [];
    const fill = await pipeline('fill-mask', fixture('tiny-pretraining'), {
      workers: 2,
      batchSize: 1, // each input its own batch: the one without [MASK] is input [0] of its batch
      warn: (m) => warnings.push(m),
    });
    try {
      await expectPipelineError(
        fill(['Alice sat on the [MASK].', 'The [MASK] ran down the hole.', 'No mask in this one at all.']),
        'bad-input',
        /^fill-mask: input \[2\] has no \[MASK\] token; write \[MASK\] where a word should be filled in/,
      );
      const texts = ['Alice sat on the [MASK].', 'The [MASK] ran down the long dark hole.', 'A [MASK].'];
      const out = await fill(texts, { targets: ['▁alice', 'rabbit'], topK: 2 });
      expect(out).toHaveLength(3);
      expect(warnings.filter((w) => w.includes('"rabbit" is not in the vocabulary'))).toHaveLength(1);
    } finally {
      fill.dispose();
    }
  });

  it('dispose() during a call: the call fails with disposed instead of waiting forever', async () => {
    const p = await pipeline('feature-extraction', fixture('tiny-seqcls'), { workers: 2, batchSize: 1 });
    const pending = p(Array.from({ length: 200 }, (_, i) => `${TEXTS[i % TEXTS.length]} ${i}`));
    await new Promise((r) => setTimeout(r, 50));
    p.dispose();
    await expectPipelineError(pending, 'disposed', /this pipeline was disposed; create a new one/);
  });

  it('after dispose() a call says so', async () => {
    const p = await pipeline('feature-extraction', fixture('tiny-seqcls'), { workers: 2 });
    p.dispose();
    await expectPipelineError(
      p('Oh dear!'),
      'disposed',
      'feature-extraction: this pipeline was disposed; create a new one',
    );
  });
});

describe.each(BACKENDS.filter((b) => b === 'cpu'))('workers: options and models it cannot take (%s)', (backend) => {
  useBackend(backend);

  it("workers: 1 runs in this thread; 'auto' starts one worker per core", async () => {
    const here = await pipeline('feature-extraction', fixture('tiny-seqcls'), { workers: 1 });
    expect(here.workers).toBe(1);
    here.dispose();
    const auto = await pipeline('feature-extraction', fixture('tiny-seqcls'), { workers: 'auto', pooling: 'cls' });
    try {
      expect(auto.workers).toBe(availableParallelism());
      expect((await auto(['Down, down, down.', 'Oh dear!'])).map((f) => f.dims)).toEqual([[32], [32]]);
    } finally {
      auto.dispose();
    }
  });

  it('a worker count that is not a positive integer or auto', async () => {
    for (const workers of [0, 1.5, -2, 'many', 65]) {
      await expectPipelineError(
        pipeline('feature-extraction', fixture('tiny-seqcls'), { workers: workers as number }),
        'bad-option',
        /^feature-extraction: workers must be an integer from 1 to 64 or 'auto', got /,
      );
    }
  });

  it('a tokenizer object, a fetch function or a ModelSource cannot cross to a worker thread', async () => {
    const tokenizer = await AlbertTokenizer.fromFile(`${fixture('tiny-seqcls')}/spiece.model`);
    await expectPipelineError(
      pipeline('feature-extraction', fixture('tiny-seqcls'), { workers: 2, tokenizer }),
      'bad-option',
      /the tokenizer option cannot be sent to a worker thread; put the tokenizer's files/,
    );
    await expectPipelineError(
      pipeline('feature-extraction', fixture('tiny-seqcls'), { workers: 2, fetch: globalThis.fetch }),
      'bad-option',
      /the fetch option cannot be sent to a worker thread/,
    );
    const source = await openModelSource(fixture('tiny-seqcls'));
    await expectPipelineError(
      pipeline('feature-extraction', source, { workers: 2 }),
      'bad-option',
      /pass the model by name \(a folder, a URL or a hub id\)/,
    );
  });

  it("a folder whose architecture does not fit: the worker's error, as in-process", async () => {
    await expectPipelineError(
      pipeline('question-answering', fixture('tiny-seqcls'), { workers: 2 }),
      'wrong-architecture',
      /^question-answering: .* holds AlbertForSequenceClassification, but question-answering needs AlbertForQuestionAnswering\./,
    );
  });

  it('a folder that does not exist fails here, before any worker starts', async () => {
    const err = await pipeline('feature-extraction', '/nonexistent/albert-model', { workers: 2 }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toMatch(/\/nonexistent\/albert-model/);
  });
});
