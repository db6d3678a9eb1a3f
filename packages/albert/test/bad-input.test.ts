// Bad input for every pipeline, on every Node backend: an empty string, an empty array, a non-string
// (and each task's own mistakes) are a PipelineError whose code and message say what was wrong and
// what to do, thrown before anything is allocated (tf.memory().numTensors does not move).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type PipelineErrorCode, pipeline, type TaskName } from '../src/index.js';
import { nodeBackends, noLeak, useBackend } from './helpers/backends.js';
import { type FixtureName, fixture } from './helpers/fixtures.js';
import { expectPipelineError } from './helpers/pipeline-error.js';

const BACKENDS = await nodeBackends();

type Case = [what: string, input: unknown, options: object, code: PipelineErrorCode, message: RegExp];

const STRINGS = 'expected a string or an array of strings';
const LABELS = { candidateLabels: ['a rabbit', 'a queen'] };

/** Each task, the fixture it runs on, and its mistakes with the error they must give. */
const TABLE: { task: TaskName; model: FixtureName; cases: Case[] }[] = [
  {
    task: 'feature-extraction',
    model: 'tiny-seqcls',
    cases: [
      ['an empty string', '', {}, 'bad-input', /^feature-extraction: text is empty$/],
      ['only whitespace', ' \n\t', {}, 'bad-input', /^feature-extraction: text is empty \(only whitespace\)$/],
      ['an empty array', [], {}, 'bad-input', /^feature-extraction: the input array is empty; pass at least one text$/],
      ['a number', 42, {}, 'bad-input', new RegExp(`^feature-extraction: ${STRINGS}, got a number \\(42\\)$`)],
      ['undefined', undefined, {}, 'bad-input', new RegExp(`^feature-extraction: ${STRINGS}, got undefined$`)],
      [
        'null in an array',
        ['fine', null],
        {},
        'bad-input',
        /^feature-extraction: text \[1\] must be a string, got null$/,
      ],
    ],
  },
  {
    task: 'sentence-similarity',
    model: 'tiny-seqcls',
    cases: [
      ['an empty source', { source: '', sentences: ['a'] }, {}, 'bad-input', /: the input\.source is empty$/],
      [
        'no sentences',
        { source: 'a', sentences: [] },
        {},
        'bad-input',
        /: the input\.sentences must be a non-empty array of strings$/,
      ],
      [
        'a non-string sentence',
        { source: 'a', sentences: ['b', 3] },
        {},
        'bad-input',
        /: the input\.sentences\[1\] must be a string, got a number \(3\)$/,
      ],
      ['an empty array', [], {}, 'bad-input', /^sentence-similarity: the input array is empty$/],
      [
        'a string',
        'a',
        {},
        'bad-input',
        /^sentence-similarity: the input must be an object \{ source, sentences \}, got a string$/,
      ],
    ],
  },
  {
    task: 'fill-mask',
    model: 'tiny-pretraining',
    cases: [
      ['an empty string', '', {}, 'bad-input', /^fill-mask: text is empty$/],
      ['an empty array', [], {}, 'bad-input', /^fill-mask: the input array is empty; pass at least one text$/],
      ['a number', 7, {}, 'bad-input', new RegExp(`^fill-mask: ${STRINGS}, got a number \\(7\\)$`)],
      [
        'no [MASK]',
        ['a [MASK] here', 'none here'],
        {},
        'bad-input',
        /^fill-mask: input \[1\] has no \[MASK\] token; write \[MASK\] where a word should be filled in$/,
      ],
      [
        'topK 0',
        'a [MASK]',
        { topK: 0 },
        'bad-option',
        /^fill-mask: topK must be a positive integer, got a number \(0\)$/,
      ],
    ],
  },
  {
    task: 'text-classification',
    model: 'tiny-seqcls',
    cases: [
      ['an empty string', '', {}, 'bad-input', /^text-classification: the input is empty$/],
      ['an empty array', [], {}, 'bad-input', /^text-classification: the input array is empty$/],
      [
        'a number',
        42,
        {},
        'bad-input',
        /^text-classification: the input must be a string or \{ text, textPair \}, got a number \(42\)$/,
      ],
      [
        'an object without text',
        {},
        {},
        'bad-input',
        /^text-classification: the input\.text must be a string, got undefined$/,
      ],
      [
        'an empty textPair',
        { text: 'a', textPair: '' },
        {},
        'bad-input',
        /^text-classification: the input\.textPair is empty$/,
      ],
      [
        'a pair as an array',
        [['a', 'b']],
        {},
        'bad-input',
        /^text-classification: input \[0\] must be a string or \{ text, textPair \}, got an array$/,
      ],
      [
        'topK 0',
        'a',
        { topK: 0 },
        'bad-option',
        /^text-classification: topK must be a positive integer, got a number \(0\)$/,
      ],
    ],
  },
  {
    task: 'token-classification',
    model: 'tiny-ner',
    cases: [
      ['an empty string', '', {}, 'bad-input', /^token-classification: text is empty$/],
      [
        'an empty array',
        [],
        {},
        'bad-input',
        /^token-classification: the input array is empty; pass at least one text$/,
      ],
      ['an object', { text: 'a' }, {}, 'bad-input', new RegExp(`^token-classification: ${STRINGS}, got an object$`)],
    ],
  },
  {
    task: 'question-answering',
    model: 'tiny-qa',
    cases: [
      [
        'an empty question',
        { question: '', context: 'c' },
        {},
        'bad-input',
        /^question-answering: the input\.question is empty$/,
      ],
      [
        'an empty context',
        { question: 'q', context: '' },
        {},
        'bad-input',
        /^question-answering: the input\.context is empty$/,
      ],
      [
        'no context',
        { question: 'q' },
        {},
        'bad-input',
        /^question-answering: the input has a question but no context; pass \{ question, context \}$/,
      ],
      [
        'a non-string context',
        { question: 'q', context: 5 },
        {},
        'bad-input',
        /^question-answering: the input\.context must be a string, got a number \(5\)$/,
      ],
      ['an empty array', [], {}, 'bad-input', /^question-answering: the input array is empty$/],
      [
        'a string',
        'q',
        {},
        'bad-input',
        /^question-answering: the input must be an object \{ question, context \}, got a string$/,
      ],
      // README: topK 0 is a bad-option (not an empty list)
      [
        'topK 0',
        { question: 'q', context: 'c' },
        { topK: 0 },
        'bad-option',
        /^question-answering: topK must be a positive integer, got a number \(0\)$/,
      ],
    ],
  },
  {
    task: 'zero-shot-classification',
    model: 'tiny-nli',
    cases: [
      ['an empty string', '', LABELS, 'bad-input', /^zero-shot-classification: text is empty$/],
      [
        'an empty array',
        [],
        LABELS,
        'bad-input',
        /^zero-shot-classification: the input array is empty; pass at least one text$/,
      ],
      [
        'a number',
        42,
        LABELS,
        'bad-input',
        new RegExp(`^zero-shot-classification: ${STRINGS}, got a number \\(42\\)$`),
      ],
      [
        'empty candidateLabels',
        'a',
        { candidateLabels: [] },
        'bad-option',
        /^zero-shot-classification: candidateLabels must be a non-empty array of non-empty strings \(or one comma-separated string\), got an array$/,
      ],
      [
        'an empty candidate label',
        'a',
        { candidateLabels: ['a', ' '] },
        'bad-option',
        /candidateLabels must be a non-empty array of non-empty strings/,
      ],
      [
        'no candidateLabels',
        'a',
        {},
        'bad-option',
        /^zero-shot-classification: no candidateLabels; pass them to the call or the pipeline, e\.g\. \{ candidateLabels: \['sports', 'politics'\] \}$/,
      ],
      [
        'a template without {}',
        'a',
        { ...LABELS, hypothesisTemplate: 'It is about' },
        'bad-option',
        /^zero-shot-classification: hypothesisTemplate must contain \{\} where the label goes, got a string$/,
      ],
    ],
  },
  {
    task: 'multiple-choice',
    model: 'tiny-mc',
    cases: [
      [
        'an empty prompt',
        { prompt: '', choices: ['a', 'b'] },
        {},
        'bad-input',
        /^multiple-choice: the input\.prompt is empty$/,
      ],
      [
        'one choice',
        { prompt: 'p', choices: ['a'] },
        {},
        'bad-input',
        /^multiple-choice: the input\.choices must be an array of at least two strings$/,
      ],
      [
        'an empty choice',
        { prompt: 'p', choices: ['a', ''] },
        {},
        'bad-input',
        /^multiple-choice: the input\.choices\[1\] is empty$/,
      ],
      [
        'a non-string choice',
        { prompt: 'p', choices: ['a', 3] },
        {},
        'bad-input',
        /^multiple-choice: the input\.choices\[1\] must be a string, got a number \(3\)$/,
      ],
      ['an empty array', [], {}, 'bad-input', /^multiple-choice: the input array is empty$/],
      [
        'a string',
        'p',
        {},
        'bad-input',
        /^multiple-choice: the input must be an object \{ prompt, choices \}, got a string$/,
      ],
    ],
  },
];

describe.each(BACKENDS)('bad input on %s', (backend) => {
  useBackend(backend);

  describe.each(TABLE)('$task', ({ task, model, cases }) => {
    let run: ((input: unknown, options: object) => Promise<unknown>) & { dispose(): void };
    beforeAll(async () => {
      run = (await pipeline(task, fixture(model), { warn: () => {} })) as unknown as typeof run;
    });
    afterAll(() => run.dispose());

    it.each(cases)('%s', async (_what, input, options, code, message) => {
      await noLeak(() => expectPipelineError(run(input, options), code, message));
    });
  });
});
