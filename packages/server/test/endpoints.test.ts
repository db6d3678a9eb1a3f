// Every task's endpoint against the pipeline itself: POST /v1/<task> in Hugging Face's Inference
// API shape answers what pipeline(task)(inputs, parameters) returns (scores to float32 precision),
// with the field names Hugging Face's API uses (hf-shapes.test.ts checks the shapes themselves);
// /v1/embeddings in OpenAI's shape; the probes. Tiny fixture models (random weights).
import { type Features, pipeline, type TaskName } from 'albert-ts';
import { describe, expect, it } from 'vitest';
import { fixture, postJson, startServer } from './helpers/server.js';

/** Deep equality with numbers compared to 5 decimals. */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(actual as number, path).toBeCloseTo(expected, 5);
    return;
  }
  if (ArrayBuffer.isView(expected)) {
    expectClose(actual, Array.from(expected as Float32Array), path);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    for (const [i, e] of expected.entries()) expectClose((actual as unknown[])[i], e, `${path}[${i}]`);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected))
      expectClose((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

/**
 * The pipeline's camelCase field names as Hugging Face's Inference API spells them (fill-mask
 * `token_str`, token-classification `entity_group`: https://huggingface.co/docs/api-inference/tasks/fill-mask,
 * https://huggingface.co/docs/api-inference/tasks/token-classification).
 */
const HF_NAMES: Record<string, string> = { tokenStr: 'token_str', entityGroup: 'entity_group' };
function hfNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hfNames);
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [HF_NAMES[k] ?? k, hfNames(v)]));
  }
  return value;
}

interface Case {
  task: TaskName;
  model: string;
  body: { inputs: unknown; parameters?: Record<string, unknown> };
  /** The pipeline call the body stands for. */
  input: unknown;
  options?: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    task: 'text-classification',
    model: 'tiny-seqcls',
    body: { inputs: ['What a lovely day!', { text: 'Is it?', text_pair: 'It is.' }], parameters: { top_k: null } },
    input: ['What a lovely day!', { text: 'Is it?', textPair: 'It is.' }],
    options: { topK: null },
  },
  {
    task: 'token-classification',
    model: 'tiny-ner',
    body: {
      inputs: 'Alice met the Queen of Hearts.',
      parameters: { aggregation_strategy: 'simple', ignore_labels: [] },
    },
    input: 'Alice met the Queen of Hearts.',
    options: { aggregationStrategy: 'simple', ignoreLabels: [] },
  },
  {
    task: 'question-answering',
    model: 'tiny-qa',
    body: {
      inputs: { question: 'Who followed the rabbit?', context: 'Alice followed the White Rabbit.' },
      parameters: { top_k: 2 },
    },
    input: { question: 'Who followed the rabbit?', context: 'Alice followed the White Rabbit.' },
    options: { topK: 2 },
  },
  {
    task: 'fill-mask',
    model: 'tiny-pretraining',
    body: { inputs: 'Alice was very [MASK] of sitting.', parameters: { top_k: 3 } },
    input: 'Alice was very [MASK] of sitting.',
    options: { topK: 3 },
  },
  {
    task: 'zero-shot-classification',
    model: 'tiny-nli',
    body: {
      inputs: 'The rabbit ran down the hole.',
      parameters: { candidate_labels: ['animals', 'cooking'], multi_label: true },
    },
    input: 'The rabbit ran down the hole.',
    options: { candidateLabels: ['animals', 'cooking'], multiLabel: true },
  },
  {
    task: 'sentence-similarity',
    model: 'tiny-seqcls',
    body: { inputs: { source_sentence: 'a rabbit', sentences: ['a hare', 'a teapot'] } },
    input: { source: 'a rabbit', sentences: ['a hare', 'a teapot'] },
  },
  {
    task: 'multiple-choice',
    model: 'tiny-mc',
    body: { inputs: { prompt: 'Where did the rabbit go?', choices: ['down a hole', 'up a tree', 'home'] } },
    input: { prompt: 'Where did the rabbit go?', choices: ['down a hole', 'up a tree', 'home'] },
  },
];

describe('POST /v1/<task> answers what the pipeline returns', () => {
  it.each(CASES.map((c) => [c.task, c] as const))('%s', async (task, c) => {
    const { server, url } = await startServer({ task, model: fixture(c.model) });
    const res = await postJson(`${url}/v1/${task}`, c.body);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const reference = await pipeline(task, fixture(c.model), { warn: () => {} });
    try {
      const expected = await (reference as (i: unknown, o?: unknown) => Promise<unknown>)(c.input, c.options);
      expectClose(res.json, hfNames(expected));
    } finally {
      reference.dispose();
    }
    expect(server.state).toBe('ready');
  });

  it('feature-extraction: nested lists [tokens][hidden], or [hidden] pooled', async () => {
    const { url } = await startServer({ task: 'feature-extraction', model: fixture('tiny-seqcls') });
    const reference = await pipeline('feature-extraction', fixture('tiny-seqcls'));
    try {
      const text = 'Down the rabbit-hole.';
      const tokens = (await postJson(`${url}/v1/feature-extraction`, { inputs: text })).json as number[][];
      const ref = await reference(text);
      expect([tokens.length, tokens[0]?.length]).toEqual(ref.dims);
      expectClose(tokens.flat(), ref.data);
      const pooled = await postJson(`${url}/v1/feature-extraction`, {
        inputs: [text, 'A hare.'],
        parameters: { pooling: 'mean', normalize: true },
      });
      const refPooled = await reference([text, 'A hare.'], { pooling: 'mean', normalize: true });
      expect(pooled.json).toHaveLength(2);
      for (const [i, r] of refPooled.entries()) expectClose(pooled.json[i], (r as Features).data);
    } finally {
      reference.dispose();
    }
  });
});

describe('POST /v1/embeddings (OpenAI shape)', () => {
  it('mean-pooled, L2-normalised vectors with usage, as floats or base64', async () => {
    const { url } = await startServer({ task: 'feature-extraction', model: fixture('tiny-seqcls'), modelName: 'tiny' });
    const reference = await pipeline('feature-extraction', fixture('tiny-seqcls'));
    try {
      const input = ['a rabbit', 'Alice was beginning to get very tired.'];
      const res = await postJson(`${url}/v1/embeddings`, { input, model: 'tiny' });
      expect(res.status).toBe(200);
      expect(res.json.object).toBe('list');
      expect(res.json.model).toBe('tiny');
      const ref = await reference(input, { pooling: 'mean', normalize: true });
      const tokens = input.map((t) => reference.tokenizer.encode(t).inputIds.length);
      expect(res.json.usage).toEqual({ prompt_tokens: tokens[0]! + tokens[1]!, total_tokens: tokens[0]! + tokens[1]! });
      res.json.data.forEach((d: { object: string; index: number; embedding: number[] }, i: number) => {
        expect(d.object).toBe('embedding');
        expect(d.index).toBe(i);
        expect(d.embedding).toHaveLength(32);
        expectClose(d.embedding, ref[i]!.data);
        expect(Math.hypot(...d.embedding)).toBeCloseTo(1, 5);
      });
      const b64 = await postJson(`${url}/v1/embeddings`, { input: 'a rabbit', encoding_format: 'base64' });
      const bytes = Buffer.from(b64.json.data[0].embedding as string, 'base64');
      const floats = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
      expect(floats).toEqual(Array.from(ref[0]!.data));
      const wrong = await postJson(`${url}/v1/embeddings`, { input: 'a', dimensions: 16 });
      expect(wrong.status).toBe(400);
      expect(wrong.json.error).toMatch(/dimensions is 16, but this model's embeddings have 32/);
      const tokenIds = await postJson(`${url}/v1/embeddings`, { input: [1, 2, 3] });
      expect(tokenIds.status).toBe(400);
      expect(tokenIds.json.error).toMatch(/token-id arrays are not supported/);
    } finally {
      reference.dispose();
    }
  });

  it('exists only for feature-extraction', async () => {
    const { url } = await startServer({ task: 'text-classification', model: fixture('tiny-seqcls') });
    const res = await postJson(`${url}/v1/embeddings`, { input: 'a' });
    expect(res.status).toBe(404);
    expect(res.json.error).toMatch(/no route POST \/v1\/embeddings; this server has POST \/v1\/text-classification/);
  });
});

describe('probes', () => {
  it('/health answers while the model loads, /ready only once it is warm', async () => {
    const { createServer } = await import('../src/index.js');
    const server = createServer({ task: 'text-classification', model: fixture('tiny-seqcls'), logger: false, port: 0 });
    try {
      const url = await server.listen();
      const [health, ready] = await Promise.all([fetch(`${url}/health`), fetch(`${url}/ready`)]);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      // the load has not finished in the same tick: not ready yet
      expect(ready.status).toBe(503);
      expect((await ready.json()).status).toBe('loading');
      const early = await postJson(`${url}/v1/text-classification`, { inputs: 'a' });
      expect([early.status, early.json.code, early.headers.get('retry-after')]).toEqual([503, 'not-ready', '1']);
      await server.ready();
      const after = await fetch(`${url}/ready`);
      expect(after.status).toBe(200);
      expect(await after.json()).toEqual({
        status: 'ready',
        task: 'text-classification',
        model: fixture('tiny-seqcls'),
        queued: 0,
      });
    } finally {
      await server.close();
    }
  });
});
