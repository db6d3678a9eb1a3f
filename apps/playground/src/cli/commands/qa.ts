// albert qa --context "…" --question "Who …?" — the answer span, with its offsets in the context.
import { readFileSync } from 'node:fs';
import type { Answer } from 'albert-ts';
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { stdinLines } from '../inputs.js';
import { type CommonOptions, emit, openPipeline, withCommonOptions } from '../options.js';
import { score, table } from '../table.js';

type QaOptions = CommonOptions & { context?: string; contextFile?: string; question: string[] };

function contextOf(options: QaOptions): string {
  if (options.context != null && options.contextFile != null)
    throw new UsageError('give either --context or --context-file, not both');
  if (options.contextFile != null) {
    try {
      return readFileSync(options.contextFile, 'utf8');
    } catch (cause) {
      throw new UsageError(`cannot read --context-file ${options.contextFile}: ${(cause as Error).message}`, { cause });
    }
  }
  if (options.context == null)
    throw new UsageError('qa needs a context: --context "Alice followed the White Rabbit." (or --context-file)');
  return options.context;
}

/** The context with the answer marked by »«. */
export function markAnswer(context: string, answer: Answer): string {
  return `${context.slice(0, answer.start)}»${context.slice(answer.start, answer.end)}«${context.slice(answer.end)}`;
}

export function qaCommand(): Command {
  return withCommonOptions(new Command('qa'))
    .description('extractive question answering: the span of the context that answers each question')
    .option('-c, --context <text>', 'the text to answer from')
    .option('--context-file <path>', 'read the context from a file')
    .option('-q, --question <text...>', 'questions (default: stdin lines)', [])
    .action(async (options: QaOptions) => {
      const context = contextOf(options);
      const questions = options.question.length > 0 ? options.question : await stdinLines();
      if (questions.length === 0)
        throw new UsageError('qa needs a question: --question "Who followed the rabbit?" (or stdin lines)');
      const qa = await openPipeline('question-answering', options);
      const outputs = (await qa(questions.map((question) => ({ question, context })))) as Answer[];
      qa.dispose();
      emit(options, questions, outputs, (question, answer) =>
        [
          `Q: ${question}`,
          table(
            ['answer', 'score', 'start', 'end'],
            [[answer.answer, score(answer.score), String(answer.start), String(answer.end)]],
            ['left', 'right', 'right', 'right'],
          ),
          markAnswer(context, answer),
        ].join('\n'),
      );
    });
}
