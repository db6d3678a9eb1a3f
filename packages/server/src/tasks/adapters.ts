// What each task's endpoint takes and gives: the request body's JSON schema (Hugging Face's
// Inference API shapes, `{ inputs, parameters }`), the pipeline inputs and call options it carries,
// and what each input costs the model (for batching). The JSON of each result: hf-output.ts.
import type { TaskName, Tokenizer } from 'albert-ts';
import type { Cost } from '../batching/job.js';
import { ServerError } from '../errors.js';
import { camelParameters, type JsonSchema, oneOrMany, POSITIVE_INT, parametersSchema, TEXT } from './parameters.js';

/** What the cost function may read of the model. */
export interface ModelLimits {
  tokenizer: Tokenizer;
  /** Longest input in tokens, as the pipeline truncates. */
  maxLength: number;
}

export interface TaskAdapter {
  task: TaskName;
  /** JSON schema of `inputs` (one input or an array of at most maxInputs). */
  inputsSchema(maxInputs: number): JsonSchema;
  /** JSON schema of `parameters`. */
  parameters: JsonSchema;
  /** Pipeline inputs of a schema-valid `inputs`. */
  inputs(inputs: unknown): { items: unknown[]; single: boolean };
  /** Pipeline call options of a schema-valid `parameters` (camelCase). */
  options(parameters: Record<string, unknown> | undefined): Record<string, unknown>;
  /** What one input costs the model. */
  cost(item: unknown, limits: ModelLimits, options: Record<string, unknown>): Cost;
  /** A small request the model is warmed with before /ready says yes. */
  warmup: { items: unknown[]; options: Record<string, unknown> };
}

function tokens(limits: ModelLimits, text: string, pair?: string): number {
  return limits.tokenizer.encode(text, pair ?? null).inputIds.length;
}

/** One row, truncated to the model's length as the pipeline truncates. */
function oneRow(n: number, maxLength: number): Cost {
  const length = Math.min(n, maxLength);
  return { rows: 1, length, tokens: length };
}

function list(inputs: unknown): { items: unknown[]; single: boolean } {
  return Array.isArray(inputs) ? { items: inputs, single: false } : { items: [inputs], single: true };
}

const pooling = { type: 'string', enum: ['none', 'mean', 'cls'] };

function textTask(
  task: TaskName,
  parameters: Record<string, JsonSchema>,
  warmup: TaskAdapter['warmup'],
  rows: (n: number, maxLength: number) => number = () => 1,
): TaskAdapter {
  return {
    task,
    inputsSchema: (maxInputs) => ({
      ...oneOrMany(TEXT, maxInputs),
      description: `a non-empty string or an array of 1 to ${maxInputs} of them`,
    }),
    parameters: parametersSchema(parameters),
    inputs: list,
    options: camelParameters,
    cost(item, limits) {
      const n = tokens(limits, item as string);
      const length = Math.min(n, limits.maxLength);
      const r = rows(n, limits.maxLength);
      return { rows: r, length, tokens: r === 1 ? length : n };
    },
    warmup,
  };
}

const featureExtraction = textTask(
  'feature-extraction',
  { pooling, normalize: { type: 'boolean' } },
  { items: ['Warming up.'], options: {} },
);

const fillMask = textTask(
  'fill-mask',
  { topK: POSITIVE_INT, targets: { anyOf: [TEXT, { type: 'array', items: TEXT, minItems: 1 }] } },
  { items: ['Warming [MASK].'], options: {} },
);

const tokenClassification = textTask(
  'token-classification',
  {
    aggregationStrategy: { type: 'string', enum: ['none', 'simple', 'first', 'average', 'max'] },
    ignoreLabels: { type: 'array', items: { type: 'string' } },
    stride: { type: 'integer', minimum: 0 },
  },
  { items: ['Warming up.'], options: {} },
  // a long text runs in windows sharing a quarter of the model's length
  (n, maxLength) =>
    n <= maxLength ? 1 : 1 + Math.ceil((n - maxLength) / Math.max(1, Math.floor((maxLength * 3) / 4))),
);

const zeroShot: TaskAdapter = {
  ...textTask(
    'zero-shot-classification',
    {
      candidateLabels: { anyOf: [TEXT, { type: 'array', items: TEXT, minItems: 1, maxItems: 64 }] },
      hypothesisTemplate: { type: 'string', pattern: '\\{\\}' },
      multiLabel: { type: 'boolean' },
    },
    { items: ['Warming up.'], options: { candidateLabels: ['weather', 'sport'] } },
  ),
  options(parameters) {
    const o = camelParameters(parameters);
    if (o.candidateLabels === undefined) {
      throw new ServerError(
        'bad-request',
        'zero-shot-classification needs parameters.candidate_labels: the labels to choose from (an array of strings, or one comma-separated string)',
      );
    }
    return o;
  },
  cost(item, limits, options) {
    const labels = options.candidateLabels as string | string[];
    const all = typeof labels === 'string' ? labels.split(',').map((s) => s.trim()) : labels;
    const template = (options.hypothesisTemplate as string | undefined) ?? 'This example is {}.';
    const longest = all.reduce((a, b) => (b.length > a.length ? b : a), '');
    const length = Math.min(tokens(limits, item as string, template.replace('{}', longest)), limits.maxLength);
    return { rows: all.length, length, tokens: all.length * length };
  },
};

const textClassification: TaskAdapter = {
  ...textTask(
    'text-classification',
    {
      topK: { anyOf: [POSITIVE_INT, { type: 'null' }] },
      functionToApply: { type: 'string', enum: ['softmax', 'sigmoid', 'none'] },
    },
    { items: ['Warming up.'], options: {} },
  ),
  inputsSchema: (maxInputs) => ({
    ...oneOrMany(
      {
        anyOf: [
          TEXT,
          {
            type: 'object',
            properties: { text: TEXT, text_pair: TEXT, textPair: TEXT },
            required: ['text'],
            additionalProperties: false,
          },
        ],
      },
      maxInputs,
    ),
    description: `a non-empty string or { text, text_pair }, or an array of 1 to ${maxInputs} of them`,
  }),
  inputs(inputs) {
    const { items, single } = list(inputs);
    return {
      single,
      items: items.map((it) => {
        if (typeof it === 'string') return it;
        const { text, text_pair, textPair } = it as { text: string; text_pair?: string; textPair?: string };
        const pair = textPair ?? text_pair;
        return pair === undefined ? { text } : { text, textPair: pair };
      }),
    };
  },
  cost(item, limits) {
    const it = item as string | { text: string; textPair?: string };
    return oneRow(typeof it === 'string' ? tokens(limits, it) : tokens(limits, it.text, it.textPair), limits.maxLength);
  },
};

const questionAnswering: TaskAdapter = {
  task: 'question-answering',
  inputsSchema: (maxInputs) => ({
    ...oneOrMany(
      {
        type: 'object',
        properties: { question: TEXT, context: TEXT },
        required: ['question', 'context'],
        additionalProperties: false,
      },
      maxInputs,
    ),
    description: `{ question, context } (non-empty strings), or an array of 1 to ${maxInputs} of them`,
  }),
  parameters: parametersSchema({
    topK: POSITIVE_INT,
    docStride: POSITIVE_INT,
    maxAnswerLen: POSITIVE_INT,
    maxSeqLen: { type: 'integer', minimum: 8 },
    handleImpossibleAnswer: { type: 'boolean' },
    alignToWords: { type: 'boolean' },
  }),
  inputs: list,
  options: camelParameters,
  cost(item, limits, options) {
    const { question, context } = item as { question: string; context: string };
    const n = tokens(limits, question, context);
    const window = Math.min((options.maxSeqLen as number | undefined) ?? 384, limits.maxLength);
    // a long context runs in windows that overlap by up to half a window
    const rows = n <= window ? 1 : 1 + Math.ceil((n - window) / Math.max(1, Math.floor(window / 2)));
    return { rows, length: Math.min(n, window), tokens: n };
  },
  warmup: { items: [{ question: 'Who?', context: 'Alice warmed up.' }], options: {} },
};

const sentenceSimilarity: TaskAdapter = {
  task: 'sentence-similarity',
  inputsSchema: (maxInputs) => {
    const item = {
      type: 'object',
      properties: {
        source_sentence: TEXT,
        source: TEXT,
        sentences: { type: 'array', items: TEXT, minItems: 1, maxItems: maxInputs },
      },
      required: ['sentences'],
      anyOf: [{ required: ['source_sentence'] }, { required: ['source'] }],
      additionalProperties: false,
    };
    return {
      ...oneOrMany(item, maxInputs),
      description: `{ source_sentence, sentences } or an array of 1 to ${maxInputs} of them`,
    };
  },
  parameters: parametersSchema({ pooling: { type: 'string', enum: ['mean', 'cls'] } }),
  inputs(inputs) {
    const { items, single } = list(inputs);
    return {
      single,
      items: items.map((it) => {
        const { source_sentence, source, sentences } = it as {
          source_sentence?: string;
          source?: string;
          sentences: string[];
        };
        return { source: source ?? source_sentence, sentences };
      }),
    };
  },
  options: camelParameters,
  cost(item, limits) {
    const { source, sentences } = item as { source: string; sentences: string[] };
    const lengths = [source, ...sentences].map((s) => Math.min(tokens(limits, s), limits.maxLength));
    return { rows: lengths.length, length: Math.max(...lengths), tokens: lengths.reduce((a, b) => a + b, 0) };
  },
  warmup: { items: [{ source: 'Warming up.', sentences: ['Getting ready.'] }], options: {} },
};

const multipleChoice: TaskAdapter = {
  task: 'multiple-choice',
  inputsSchema: (maxInputs) => ({
    ...oneOrMany(
      {
        type: 'object',
        properties: { prompt: TEXT, choices: { type: 'array', items: TEXT, minItems: 2, maxItems: 64 } },
        required: ['prompt', 'choices'],
        additionalProperties: false,
      },
      maxInputs,
    ),
    description: `{ prompt, choices } (a string and at least two strings), or an array of 1 to ${maxInputs} of them`,
  }),
  parameters: parametersSchema({}),
  inputs: list,
  options: camelParameters,
  cost(item, limits) {
    const { prompt, choices } = item as { prompt: string; choices: string[] };
    const lengths = choices.map((c) => Math.min(tokens(limits, prompt, c), limits.maxLength));
    return { rows: lengths.length, length: Math.max(...lengths), tokens: lengths.reduce((a, b) => a + b, 0) };
  },
  warmup: { items: [{ prompt: 'Ready?', choices: ['yes', 'no'] }], options: {} },
};

export const ADAPTERS: Record<TaskName, TaskAdapter> = {
  'feature-extraction': featureExtraction,
  'sentence-similarity': sentenceSimilarity,
  'fill-mask': fillMask,
  'text-classification': textClassification,
  'token-classification': tokenClassification,
  'question-answering': questionAnswering,
  'zero-shot-classification': zeroShot,
  'multiple-choice': multipleChoice,
};
