// Every task's answer has the shape Hugging Face's Inference API documents for it: exactly its field
// names (snake_case, nothing else), their JSON types, and the array nesting. The shapes are transcribed
// from the API's task specification (huggingface.js packages/tasks/src/tasks/<task>/spec/output.json)
// and its pages https://huggingface.co/docs/api-inference/tasks/<task>; zero-shot's
// { sequence, labels, scores } is transformers' pipeline's and
// https://huggingface.co/docs/huggingface.js/inference/interfaces/ZeroShotClassificationOutputValue.
// A Hugging Face client reads these bodies field by field, so a renamed field is a broken client.
import type { TaskName } from 'albert-ts';
import { describe, expect, it } from 'vitest';
import { fixture, postJson, startServer } from './helpers/server.js';

type Shape =
  | 'string'
  | 'number'
  | 'integer'
  | { array: Shape; length?: number }
  | { object: Record<string, Shape>; optional?: Record<string, Shape> };

/** Asserts `value` has `shape`: an object has exactly its fields (optional ones may be absent). */
function expectShape(value: unknown, shape: Shape, path = '$'): void {
  if (shape === 'string') return void expect(typeof value, path).toBe('string');
  if (shape === 'number') return void expect(Number.isFinite(value), `${path}: ${JSON.stringify(value)}`).toBe(true);
  if (shape === 'integer') return void expect(Number.isInteger(value), `${path}: ${JSON.stringify(value)}`).toBe(true);
  if ('array' in shape) {
    expect(Array.isArray(value), `${path} is an array`).toBe(true);
    const items = value as unknown[];
    if (shape.length !== undefined) expect(items.length, `${path}.length`).toBe(shape.length);
    expect(items.length, `${path} is not empty`).toBeGreaterThan(0);
    for (const [i, v] of items.entries()) expectShape(v, shape.array, `${path}[${i}]`);
    return;
  }
  expect(value !== null && typeof value === 'object' && !Array.isArray(value), `${path} is an object`).toBe(true);
  const fields = value as Record<string, unknown>;
  const allowed = { ...shape.object, ...shape.optional };
  for (const k of Object.keys(fields)) expect(Object.keys(allowed), `${path}: unexpected field ${k}`).toContain(k);
  for (const k of Object.keys(shape.object)) expect(Object.keys(fields), `${path}: missing field ${k}`).toContain(k);
  for (const [k, v] of Object.entries(fields)) expectShape(v, allowed[k] as Shape, `${path}.${k}`);
}

// https://huggingface.co/docs/api-inference/tasks/fill-mask
const FILL_MASK: Shape = { object: { score: 'number', token: 'integer', token_str: 'string', sequence: 'string' } };
// https://huggingface.co/docs/api-inference/tasks/token-classification (entity_group when aggregated;
// entity, and transformers' token index, per token with aggregation_strategy "none")
const ENTITY_GROUP: Shape = {
  object: { entity_group: 'string', score: 'number', word: 'string', start: 'integer', end: 'integer' },
};
const TOKEN_ENTITY: Shape = {
  object: { entity: 'string', score: 'number', word: 'string', start: 'integer', end: 'integer' },
  optional: { index: 'integer' },
};
// https://huggingface.co/docs/api-inference/tasks/question-answering
const ANSWER: Shape = { object: { answer: 'string', score: 'number', start: 'integer', end: 'integer' } };
// https://huggingface.co/docs/api-inference/tasks/text-classification
const LABEL_SCORE: Shape = { object: { label: 'string', score: 'number' } };
const ZERO_SHOT: Shape = { object: { sequence: 'string', labels: { array: 'string' }, scores: { array: 'number' } } };

interface Case {
  name: string;
  task: TaskName;
  model: string;
  body: unknown;
  shape: Shape;
  /** Further checks of the values the shape cannot state. */
  check?: (json: unknown) => void;
}

const TEXT = 'Alice met the Queen of Hearts.';
const CONTEXT = 'Alice followed the White Rabbit.';

const CASES: Case[] = [
  {
    name: 'fill-mask: [{ score, token, token_str, sequence }]',
    task: 'fill-mask',
    model: 'tiny-pretraining',
    body: { inputs: 'Alice was very [MASK] of sitting.', parameters: { top_k: 3 } },
    shape: { array: FILL_MASK, length: 3 },
  },
  {
    name: 'fill-mask, two masks: one list per mask',
    task: 'fill-mask',
    model: 'tiny-pretraining',
    body: { inputs: 'Alice was [MASK] [MASK] of sitting.', parameters: { top_k: 2 } },
    shape: { array: { array: FILL_MASK, length: 2 }, length: 2 },
  },
  {
    name: 'token-classification, aggregated: [{ entity_group, score, word, start, end }]',
    task: 'token-classification',
    model: 'tiny-ner',
    body: { inputs: TEXT, parameters: { aggregation_strategy: 'simple', ignore_labels: [] } },
    shape: { array: ENTITY_GROUP },
    check: (json) => {
      for (const e of json as { start: number; end: number }[]) {
        expect(e.start).toBeLessThan(e.end);
        expect(e.end).toBeLessThanOrEqual(TEXT.length);
      }
    },
  },
  {
    name: 'token-classification, per token: [{ entity, score, index, word, start, end }]',
    task: 'token-classification',
    model: 'tiny-ner',
    body: { inputs: TEXT, parameters: { aggregation_strategy: 'none', ignore_labels: [] } },
    shape: { array: TOKEN_ENTITY },
  },
  {
    name: 'question-answering: { answer, score, start, end }',
    task: 'question-answering',
    model: 'tiny-qa',
    body: { inputs: { question: 'Who followed the rabbit?', context: CONTEXT } },
    shape: ANSWER,
    check: (json) => {
      const a = json as { answer: string; start: number; end: number };
      expect(CONTEXT.slice(a.start, a.end)).toBe(a.answer);
    },
  },
  {
    name: 'question-answering, top_k 2: [{ answer, score, start, end }]',
    task: 'question-answering',
    model: 'tiny-qa',
    body: { inputs: { question: 'Who followed the rabbit?', context: CONTEXT }, parameters: { top_k: 2 } },
    shape: { array: ANSWER, length: 2 },
  },
  {
    name: 'text-classification: [{ label, score }]',
    task: 'text-classification',
    model: 'tiny-seqcls',
    body: { inputs: 'What a lovely day!', parameters: { top_k: null } },
    shape: { array: LABEL_SCORE, length: 3 }, // the fixture's three labels
  },
  {
    name: 'text-classification, several inputs: one [{ label, score }] per input',
    task: 'text-classification',
    model: 'tiny-seqcls',
    body: { inputs: ['What a lovely day!', 'Not good.'] },
    shape: { array: { array: LABEL_SCORE, length: 1 }, length: 2 },
  },
  {
    name: 'zero-shot-classification: { sequence, labels, scores }',
    task: 'zero-shot-classification',
    model: 'tiny-nli',
    body: {
      inputs: 'The rabbit ran down the hole.',
      parameters: { candidate_labels: ['animals', 'cooking', 'sport'] },
    },
    shape: ZERO_SHOT,
    check: (json) => {
      const z = json as { sequence: string; labels: string[]; scores: number[] };
      expect(z.sequence).toBe('The rabbit ran down the hole.');
      expect([...z.labels].sort()).toEqual(['animals', 'cooking', 'sport']);
      expect(z.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    },
  },
  {
    // https://huggingface.co/docs/api-inference/tasks/feature-extraction: number[][] per text
    name: 'feature-extraction: [tokens][hidden]',
    task: 'feature-extraction',
    model: 'tiny-seqcls',
    body: { inputs: 'Down the rabbit-hole.' },
    shape: { array: { array: 'number', length: 32 } },
  },
  {
    name: 'feature-extraction, pooled, several inputs: [inputs][hidden]',
    task: 'feature-extraction',
    model: 'tiny-seqcls',
    body: { inputs: ['Down the rabbit-hole.', 'A hare.'], parameters: { pooling: 'mean' } },
    shape: { array: { array: 'number', length: 32 }, length: 2 },
  },
  {
    // https://huggingface.co/docs/api-inference/tasks/sentence-similarity: number[]
    name: 'sentence-similarity: [score per sentence]',
    task: 'sentence-similarity',
    model: 'tiny-seqcls',
    body: { inputs: { source_sentence: 'a rabbit', sentences: ['a hare', 'a teapot', 'a rabbit'] } },
    shape: { array: 'number', length: 3 },
    check: (json) => expect((json as number[])[2]).toBeCloseTo(1, 5),
  },
];

describe("answers in Hugging Face's Inference API shapes", () => {
  const tasks = [...new Set(CASES.map((c) => c.task))];
  it.each(tasks)('%s', async (task) => {
    const cases = CASES.filter((c) => c.task === task);
    const { url } = await startServer({ task, model: fixture((cases[0] as Case).model) });
    for (const c of cases) {
      const res = await postJson(`${url}/v1/${task}`, c.body);
      expect(res.status, `${c.name}: ${JSON.stringify(res.json)}`).toBe(200);
      expectShape(res.json, c.shape, c.name);
      c.check?.(res.json);
    }
  });
});
