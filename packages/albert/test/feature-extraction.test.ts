// feature-extraction and sentence-similarity on a real (tiny, random-weight) HF checkpoint, on every
// Node backend. The reference for each vector is AlbertModel's forward pass (HF parity tested in
// @albert-ts/core) on the tokenizer's ids, one input at a time with no padding: the pipeline's
// sorting, padding and pooling must not change it.
import { AlbertModel } from '@albert-ts/core';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FeatureExtractionPipeline,
  type Features,
  pipeline,
  type SentenceSimilarityPipeline,
} from '../src/index.js';
import { nodeBackends, noLeak, useBackend } from './helpers/backends.js';
import { fixture } from './helpers/fixtures.js';
import { ALICE_TEXTS } from './helpers/texts.js';

const BACKENDS = await nodeBackends();
const TEXTS = ALICE_TEXTS;
const H = 32;

/** last_hidden_state [n, H] of one unpadded input, straight from AlbertModel. */
function reference(model: AlbertModel, tok: AlbertTokenizer, text: string): number[][] {
  const ids = tok.encode(text).inputIds;
  return tf.tidy(() => {
    const out = model.forward({ inputIds: tf.tensor2d(ids, [1, ids.length], 'int32') });
    return (out.lastHiddenState.arraySync() as number[][][])[0] as number[][];
  });
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  expect(worst).toBeLessThan(tol);
}

/** The mean over tokens of a [n, H] reference. */
const meanOf = (rows: number[][]) =>
  Array.from({ length: H }, (_, h) => rows.reduce((s, row) => s + (row[h] as number), 0) / rows.length);
const unit = (v: number[]) => {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};
const cosine = (a: number[], b: number[]) => unit(a).reduce((s, x, i) => s + x * (unit(b)[i] as number), 0);

describe.each(BACKENDS)('feature-extraction on %s', (backend) => {
  useBackend(backend);
  let extractor: FeatureExtractionPipeline;
  let model: AlbertModel;
  let tok: AlbertTokenizer;
  let refs: number[][][];

  beforeAll(async () => {
    extractor = await pipeline('feature-extraction', fixture('tiny-seqcls'), { batchSize: 2 });
    model = await AlbertModel.fromPretrained(fixture('tiny-seqcls'), { warn: () => {} });
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-seqcls')}/spiece.model`);
    refs = TEXTS.map((t) => reference(model, tok, t));
  });
  afterAll(() => {
    extractor.dispose();
    model.dispose();
  });

  it('one vector per token ([CLS] … [SEP]), batched and padded, equal to the unpadded forward pass', async () => {
    const out = await noLeak(() => extractor(TEXTS));
    expect(out).toHaveLength(TEXTS.length);
    out.forEach((f, i) => {
      const ref = refs[i] as number[][];
      expect(f.dims).toEqual([tok.encode(TEXTS[i] as string).inputIds.length, H]);
      close(f.data, ref.flat());
    });
    const single = await extractor(TEXTS[2] as string);
    close(single.data, (refs[2] as number[][]).flat());
  });

  it('mean pooling (over every real token), cls pooling, normalize', async () => {
    const mean = await noLeak(() => extractor(TEXTS, { pooling: 'mean' }));
    const meanUnit = await noLeak(() => extractor(TEXTS, { pooling: 'mean', normalize: true }));
    const cls = await extractor(TEXTS, { pooling: 'cls', normalize: true });
    TEXTS.forEach((_, i) => {
      const ref = refs[i] as number[][];
      const avg = meanOf(ref);
      expect(mean[i]?.dims).toEqual([H]);
      close(mean[i]?.data as Float32Array, avg);
      close(meanUnit[i]?.data as Float32Array, unit(avg));
      close(cls[i]?.data as Float32Array, unit(ref[0] as number[]));
      expect(Math.hypot(...(cls[i] as Features).data)).toBeCloseTo(1, 5);
    });
  });

  it('truncates an input longer than the model (64 tokens) with one warning line', async () => {
    const warnings: string[] = [];
    const long = await pipeline('feature-extraction', fixture('tiny-seqcls'), { warn: (m) => warnings.push(m) });
    const text = TEXTS.join(' ').repeat(3);
    const out = await noLeak(() => long([text, 'Short.']));
    expect(out[0]?.dims).toEqual([64, H]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^\[albert-ts\] feature-extraction: an input is longer than the model's 64 tokens \(\[0\] \d+ tokens\); truncated to 64\.$/,
    );
    const ids = tok.encode(text, null, { maxLength: 64 }).inputIds;
    const ref = tf.tidy(() =>
      model.forward({ inputIds: tf.tensor2d(ids, [1, 64], 'int32') }).lastHiddenState.dataSync(),
    );
    close(out[0]?.data as Float32Array, ref);
    long.dispose();
  });
});

describe.each(BACKENDS)('sentence-similarity on %s', (backend) => {
  useBackend(backend);
  let similarity: SentenceSimilarityPipeline;
  let refs: number[][][];
  beforeAll(async () => {
    similarity = await pipeline('sentence-similarity', fixture('tiny-seqcls'));
    const model = await AlbertModel.fromPretrained(fixture('tiny-seqcls'), { warn: () => {} });
    const tok = await AlbertTokenizer.fromFile(`${fixture('tiny-seqcls')}/spiece.model`);
    refs = TEXTS.map((t) => reference(model, tok, t));
    model.dispose();
  });
  afterAll(() => {
    similarity.dispose();
  });

  it.each([
    ['mean', meanOf],
    ['cls', (rows: number[][]) => rows[0] as number[]],
  ] as const)(
    'pooling %s: cosine similarity of the pooled unpadded forwards; a sentence is 1 to itself',
    async (pooling, pool) => {
      const [source, ...sentences] = TEXTS as [string, ...string[]];
      const scores = await noLeak(() => similarity({ source, sentences: [source, ...sentences] }, { pooling }));
      expect(scores).toHaveLength(TEXTS.length);
      expect(scores[0]).toBeCloseTo(1, 5);
      const vectors = (refs as number[][][]).map(pool);
      sentences.forEach((_, k) => {
        expect(scores[k + 1]).toBeCloseTo(cosine(vectors[0] as number[], vectors[k + 1] as number[]), 4);
      });
    },
  );
});
