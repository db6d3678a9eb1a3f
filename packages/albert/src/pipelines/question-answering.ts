// question-answering (extractive): the span of the context that answers the question, as Hugging
// Face's QuestionAnsweringPipeline finds it. The context runs in windows of maxSeqLen tokens sharing
// docStride tokens (question in every window); qa-spans.ts scores the spans of each window; the best
// topK over all windows win. `answer` is always context.slice(start, end); a span with no text (a lone
// ▁ token, which covers only a space) is no answer, so '' is only ever the impossible answer.
import type { ModelSource } from '@albert-ts/core';
import type { AlbertForQuestionAnswering } from '@albert-ts/heads';
import type { Encoding } from '@albert-ts/tokenizer';
import { AutoModelForQuestionAnswering } from '../auto/auto-model.js';
import { PipelineError } from '../errors.js';
import { runRows } from './batches.js';
import { makePipeline, type Pipeline } from './callable.js';
import { checkText, objectList, positiveInt } from './inputs.js';
import { openForTask, type PipelineOptions } from './load.js';
import { answerRange, bestSpans } from './qa-spans.js';

export interface QuestionAnsweringInput {
  question: string;
  context: string;
}

export interface QuestionAnsweringOptions {
  /** Answers to return (default 1: one answer object; more: an array, best first). */
  topK?: number;
  /** Tokens shared by consecutive windows of a long context (default 128, at most half the window). */
  docStride?: number;
  /** Longest answer, in tokens (default 15). */
  maxAnswerLen?: number;
  /** Window length in tokens (default 384, at most the model's length). */
  maxSeqLen?: number;
  /** Also offer the empty answer (score p_start[CLS]·p_end[CLS], the lowest over the windows). Default false. */
  handleImpossibleAnswer?: boolean;
  /** Widen answers to whole words (default true, as HF's align_to_words). */
  alignToWords?: boolean;
}

export interface Answer {
  answer: string;
  score: number;
  /** [start, end) in the context: context.slice(start, end) === answer */
  start: number;
  end: number;
}

export type QuestionAnsweringResult = Answer | Answer[];

export type QuestionAnsweringPipeline = Pipeline<
  QuestionAnsweringInput,
  QuestionAnsweringResult,
  QuestionAnsweringOptions
>;

const TASK = 'question-answering';

function checkInput(value: Record<string, unknown>, where: string): QuestionAnsweringInput {
  const question = checkText(value.question, TASK, `${where}.question`);
  if (value.context === undefined) {
    throw new PipelineError('bad-input', `${TASK}: ${where} has a question but no context; pass { question, context }`);
  }
  return { question, context: checkText(value.context, TASK, `${where}.context`) };
}

/** The caller's input as a list of checked items, and whether one item (not an array) was given. */
export function splitQuestionAnsweringInputs(input: unknown): {
  items: ReturnType<typeof checkInput>[];
  single: boolean;
} {
  return objectList(input, TASK, checkInput, '{ question, context }');
}

export async function questionAnsweringPipeline(
  model: string | ModelSource | undefined,
  options: PipelineOptions & QuestionAnsweringOptions,
): Promise<QuestionAnsweringPipeline> {
  const opened = await openForTask(TASK, model, options, ['AlbertForQuestionAnswering']);
  const { batchSize } = opened;
  const qa: AlbertForQuestionAnswering = await AutoModelForQuestionAnswering.fromPretrained(opened.source, {
    warn: opened.warn,
    dtype: opened.dtype,
  });
  const tok = opened.tokenizer;

  const run = async (
    items: QuestionAnsweringInput[],
    call: QuestionAnsweringOptions,
  ): Promise<QuestionAnsweringResult[]> => {
    const o = { ...options, ...call };
    const topK = positiveInt(o.topK, 'topK', TASK, 1);
    const maxAnswerLen = positiveInt(o.maxAnswerLen, 'maxAnswerLen', TASK, 15);
    const maxSeqLen = Math.min(positiveInt(o.maxSeqLen, 'maxSeqLen', TASK, 384), opened.maxLength);
    const perItem = items.map(({ question, context }, i) => {
      const room = maxSeqLen - 3 - tok.encodeSequence(question).ids.length; // context tokens per window
      if (room < 2) {
        throw new PipelineError(
          'bad-input',
          `${TASK}: the question of input [${i}] leaves no room for the context in a ${maxSeqLen}-token window; shorten it`,
        );
      }
      const docStride = Math.min(positiveInt(o.docStride, 'docStride', TASK, 128), Math.floor(room / 2));
      const enc = tok.encode(question, context, {
        maxLength: maxSeqLen,
        truncation: 'only_second',
        stride: docStride,
        returnOverflowingTokens: true,
      });
      return [enc, ...enc.overflow];
    });
    const rows = await runRows(perItem.flat(), batchSize, tok.padId, (x) => {
      const out = qa.forward(x);
      return [out.startLogits, out.endLogits];
    });
    let next = 0;
    return items.map(({ context }, i) => {
      const answers: Answer[] = [];
      let minNull = Number.POSITIVE_INFINITY;
      for (const w of perItem[i] as Encoding[]) {
        const [startLogits, endLogits] = (rows[next++] as { rows: Float32Array[] }).rows as [
          Float32Array,
          Float32Array,
        ];
        const n = w.inputIds.length;
        const inContext = Int8Array.from(w.sequenceIds, (s) => (s === 1 ? 1 : 0));
        // [start, end) in the context of the span of tokens s..e
        const range = (s: number, e: number) =>
          answerRange(context, w.offsets[2 * s] as number, w.offsets[2 * e + 1] as number, o.alignToWords ?? true);
        const { spans, nullScore } = bestSpans(
          { startLogits: startLogits.subarray(0, n), endLogits: endLogits.subarray(0, n), context: inContext, cls: 0 },
          topK,
          maxAnswerLen,
          (s, e) => {
            const [start, end] = range(s, e);
            return end > start;
          },
        );
        minNull = Math.min(minNull, nullScore);
        for (const s of spans) {
          const [start, end] = range(s.start, s.end);
          answers.push({ answer: context.slice(start, end), score: s.score, start, end });
        }
      }
      if (o.handleImpossibleAnswer) answers.push({ answer: '', score: minNull, start: 0, end: 0 });
      answers.sort((a, b) => b.score - a.score);
      const best = answers.slice(0, topK);
      return topK === 1 ? (best[0] as Answer) : best;
    });
  };
  return makePipeline(TASK, opened, splitQuestionAnsweringInputs, run, () => qa.dispose());
}
