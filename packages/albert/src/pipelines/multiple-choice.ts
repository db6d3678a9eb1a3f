// multiple-choice: which of several answers fits a prompt (a question, or a context and a question),
// with a multiple-choice head (HF AlbertForMultipleChoice; Hugging Face has no pipeline for it).
// Each choice is encoded as the pair (prompt, choice); the scores are the softmax over the choices.
import { inputsFromEncodings, type ModelSource } from '@albert-ts/core';
import type { AlbertForMultipleChoice } from '@albert-ts/heads';
import type { Encoding } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { AutoModelForMultipleChoice } from '../auto/auto-model.js';
import { PipelineError } from '../errors.js';
import type { Tokenizer } from '../tokenizer/auto-tokenizer.js';
import { computeAndRead, inSortedBatches, longest } from './batches.js';
import { makePipeline, type Pipeline } from './callable.js';
import { encodeTruncating, secondTooLong } from './encode.js';
import { checkText, objectList } from './inputs.js';
import { openForTask, type PipelineOptions } from './load.js';
import { softmax } from './scores.js';

export interface MultipleChoiceInput {
  /** The question (with its context, if any). */
  prompt: string;
  choices: string[];
}

export interface MultipleChoiceResult {
  /** The best choice and its index in `choices`. */
  answer: string;
  index: number;
  /** One score per choice, in the order given; they sum to 1. */
  scores: number[];
}

/** multiple-choice takes no options of its own. */
export type MultipleChoicePipelineOptions = object;

export type MultipleChoicePipeline = Pipeline<MultipleChoiceInput, MultipleChoiceResult, MultipleChoicePipelineOptions>;

const TASK = 'multiple-choice';

function checkInput(value: Record<string, unknown>, where: string): MultipleChoiceInput {
  const prompt = checkText(value.prompt, TASK, `${where}.prompt`);
  const choices = value.choices;
  if (!Array.isArray(choices) || choices.length < 2) {
    throw new PipelineError('bad-input', `${TASK}: ${where}.choices must be an array of at least two strings`);
  }
  return { prompt, choices: choices.map((c, i) => checkText(c, TASK, `${where}.choices[${i}]`)) };
}

/** The caller's input as a list of checked items, and whether one item (not an array) was given. */
export function splitMultipleChoiceInputs(input: unknown): { items: ReturnType<typeof checkInput>[]; single: boolean } {
  return objectList(input, TASK, checkInput, '{ prompt, choices }');
}

/** Only the prompt is truncated ('only_first'): each choice must leave it at least one token. */
function checkChoices(tok: Tokenizer, items: MultipleChoiceInput[], maxLength: number): void {
  for (const [i, { choices }] of items.entries()) {
    for (const [j, choice] of choices.entries()) {
      const long = secondTooLong(tok, choice, maxLength);
      if (long != null) {
        throw new PipelineError(
          'bad-input',
          `${TASK}: input [${i}].choices[${j}] is ${long.tokens} tokens, more than the ${long.room} the model's ${maxLength} ` +
            'tokens leave beside the prompt; shorten the choice (only the prompt is truncated)',
        );
      }
    }
  }
}

export async function multipleChoicePipeline(
  model: string | ModelSource | undefined,
  options: PipelineOptions,
): Promise<MultipleChoicePipeline> {
  const opened = await openForTask(TASK, model, options, ['AlbertForMultipleChoice']);
  const { batchSize } = opened;
  const mc: AlbertForMultipleChoice = await AutoModelForMultipleChoice.fromPretrained(opened.source, {
    warn: opened.warn,
    dtype: opened.dtype,
  });
  const tok = opened.tokenizer;
  const run = async (items: MultipleChoiceInput[]): Promise<MultipleChoiceResult[]> => {
    checkChoices(tok, items, opened.maxLength);
    const owners = items.flatMap((it, i) => it.choices.map(() => i));
    const encodings = encodeTruncating(
      tok,
      items.flatMap((it) => it.choices.map((c) => [it.prompt, c] as const)),
      opened.maxLength,
      TASK,
      opened.warn,
      'only_first',
      (k) => owners[k] as number,
    );
    let next = 0;
    const questions = items.map((it) => encodings.slice(next, (next += it.choices.length)));
    // questions with the same number of choices are batched together (the head takes [b, choices, s]),
    // sorted by their longest choice
    const out = new Array<MultipleChoiceResult>(items.length);
    for (const count of new Set(items.map((it) => it.choices.length))) {
      const indices = items.flatMap((it, i) => (it.choices.length === count ? [i] : []));
      const logits = await inSortedBatches(
        indices.map((i) => questions[i] as Encoding[]),
        (q) => longest(q),
        batchSize,
        async (batch) => {
          const [data] = (await computeAndRead(() => {
            const x = inputsFromEncodings(batch.flat(), { padId: tok.padId }); // [b*c, s]
            const shape: [number, number, number] = [batch.length, count, x.inputIds.shape[1]];
            return [
              mc.forward({
                inputIds: tf.reshape(x.inputIds, shape) as tf.Tensor3D,
                attentionMask: tf.reshape(x.attentionMask, shape) as tf.Tensor3D,
                tokenTypeIds: tf.reshape(x.tokenTypeIds, shape) as tf.Tensor3D,
              }).logits, // [b, c]
            ];
          })) as [Float32Array];
          return batch.map((_, b) => data.slice(b * count, (b + 1) * count));
        },
      );
      indices.forEach((i, k) => {
        const scores = softmax(logits[k] as Float32Array);
        const index = scores.indexOf(Math.max(...scores));
        out[i] = { answer: (items[i] as MultipleChoiceInput).choices[index] as string, index, scores };
      });
    }
    return out;
  };
  return makePipeline(TASK, opened, splitMultipleChoiceInputs, run, () => mc.dispose());
}
