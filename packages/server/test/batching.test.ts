// Dynamic batching through HTTP: concurrent requests run as one forward pass (batch sizes read
// from /metrics), and every caller gets exactly what the pipeline gives its input alone.
import { pipeline } from 'albert-ts';
import { describe, expect, it } from 'vitest';
import { fixture, metric, postJson, startServer } from './helpers/server.js';

const TEXTS = [
  'Alice was beginning to get very tired of sitting by her sister on the bank.',
  'Down, down, down.',
  'Curiouser and curiouser!',
  'Would the fall never come to an end?',
  'Oh dear! Oh dear! I shall be late!',
  'She was considering in her own mind (as well as she could, for the hot day made her feel very sleepy and stupid) whether the pleasure of making a daisy-chain would be worth the trouble.',
  'Why, there is no room for you, and no room for me.',
  'Who are you?',
];

describe('dynamic batching', () => {
  it.each([
    ['in the server process', false],
    ['in the worker process', true],
  ])(
    '8 concurrent requests: one batch of 8, each answer equal to the unbatched pipeline (model %s)',
    async (_where, worker) => {
      const { url } = await startServer({
        task: 'text-classification',
        model: fixture('tiny-seqcls'),
        maxBatchSize: 8,
        maxWaitMs: 2000,
        // one pass whatever the lengths (the default cuts these 8 by length: the next test)
        passOverheadTokens: 1_000_000,
        worker,
      });
      const answers = await Promise.all(
        TEXTS.map((t) => postJson(`${url}/v1/text-classification`, { inputs: t, parameters: { top_k: null } })),
      );
      expect(answers.map((a) => a.status)).toEqual(TEXTS.map(() => 200));
      expect(await metric(url, 'albert_batch_size_count')).toBe(1);
      expect(await metric(url, 'albert_batch_size_sum')).toBe(8);
      expect(await metric(url, 'albert_batch_requests_sum')).toBe(8);
      expect(await metric(url, 'albert_requests_total', { route: '/v1/text-classification', status: '200' })).toBe(8);

      const alone = await pipeline('text-classification', fixture('tiny-seqcls'), { batchSize: 1, warn: () => {} });
      try {
        for (const [i, text] of TEXTS.entries()) {
          const ref = await alone(text, { topK: null });
          const got = answers[i]?.json as { label: string; score: number }[];
          expect(got.map((g) => g.label)).toEqual(ref.map((r) => r.label));
          for (const [k, g] of got.entries()) expect(g.score).toBeCloseTo(ref[k]!.score, 5);
        }
      } finally {
        alone.dispose();
      }
    },
  );

  it('requests with different parameters go to different batches; the tokens are counted', async () => {
    const { url } = await startServer({
      task: 'text-classification',
      model: fixture('tiny-seqcls'),
      maxBatchSize: 4,
      maxWaitMs: 2000,
      passOverheadTokens: 1_000_000,
    });
    const answers = await Promise.all(
      TEXTS.map((t, i) => postJson(`${url}/v1/text-classification`, { inputs: t, parameters: { top_k: 1 + (i % 2) } })),
    );
    expect(answers.map((a) => (a.json as unknown[]).length)).toEqual(TEXTS.map((_, i) => 1 + (i % 2)));
    expect(await metric(url, 'albert_batch_size_count')).toBe(2);
    expect(await metric(url, 'albert_batch_size_sum')).toBe(8);
    const alone = await pipeline('text-classification', fixture('tiny-seqcls'), { warn: () => {} });
    try {
      const tokens = TEXTS.reduce((n, t) => n + Math.min(alone.tokenizer.encode(t).inputIds.length, 64), 0);
      expect(await metric(url, 'albert_tokens_total')).toBe(tokens);
    } finally {
      alone.dispose();
    }
  });

  it('requests of very different lengths run in separate passes of neighbouring lengths: less padding, the same answers', async () => {
    const { url } = await startServer({
      task: 'text-classification',
      model: fixture('tiny-seqcls'),
      maxBatchSize: 8,
      maxWaitMs: 2000,
    });
    const answers = await Promise.all(
      TEXTS.map((t) => postJson(`${url}/v1/text-classification`, { inputs: t, parameters: { top_k: null } })),
    );
    expect(answers.map((a) => a.status)).toEqual(TEXTS.map(() => 200));
    const alone = await pipeline('text-classification', fixture('tiny-seqcls'), { batchSize: 1, warn: () => {} });
    try {
      const lengths = TEXTS.map((t) => Math.min(alone.tokenizer.encode(t).inputIds.length, 64));
      const passes = await metric(url, 'albert_batch_size_count');
      const padded = await metric(url, 'albert_batch_padded_tokens_sum');
      const real = lengths.reduce((a, b) => a + b, 0);
      // one pass would compute 8 × the longest; the passes computed less, and at least every real token
      expect(passes).toBeGreaterThan(1);
      expect(await metric(url, 'albert_batch_size_sum')).toBe(8);
      expect(padded).toBeLessThan(8 * Math.max(...lengths));
      expect(padded).toBeGreaterThanOrEqual(real);
      expect(await metric(url, 'albert_tokens_total')).toBe(real);
      for (const [i, text] of TEXTS.entries()) {
        const ref = await alone(text, { topK: null });
        const got = answers[i]?.json as { label: string; score: number }[];
        expect(got.map((g) => g.label)).toEqual(ref.map((r) => r.label));
        for (const [k, g] of got.entries()) expect(g.score).toBeCloseTo(ref[k]!.score, 5);
      }
    } finally {
      alone.dispose();
    }
  });

  it('a request the pipeline refuses gets its own 400 (from the worker process too); the others of its batch are answered', async () => {
    const { url } = await startServer({
      worker: true,
      task: 'fill-mask',
      model: fixture('tiny-pretraining'),
      maxBatchSize: 4,
      maxWaitMs: 300,
    });
    const [good, bad, good2] = await Promise.all([
      postJson(`${url}/v1/fill-mask`, { inputs: 'Alice was very [MASK].', parameters: { top_k: 2 } }),
      postJson(`${url}/v1/fill-mask`, { inputs: 'No mask here.', parameters: { top_k: 2 } }),
      postJson(`${url}/v1/fill-mask`, { inputs: 'The [MASK] rabbit.', parameters: { top_k: 2 } }),
    ]);
    expect([good?.status, bad?.status, good2?.status]).toEqual([200, 400, 200]);
    expect(bad?.json.code).toBe('bad-request');
    expect(bad?.json.error).toMatch(/\[MASK\]/);
    expect(good?.json).toHaveLength(2);
    expect(good2?.json).toHaveLength(2);
  });
});
