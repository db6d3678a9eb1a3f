// albert fill-mask "The capital of France is [MASK]." — the likeliest tokens for each [MASK].
import type { FillMaskCandidate } from 'albert-ts';
import { Command } from 'commander';
import { textInputs } from '../inputs.js';
import { type CommonOptions, emit, openPipeline, withCommonOptions } from '../options.js';
import { bar, score, table } from '../table.js';
import { positiveInt } from './numbers.js';

export function candidatesTable(candidates: FillMaskCandidate[]): string {
  return table(
    ['#', 'token', 'score', ''],
    candidates.map((c, k) => [String(k + 1), c.tokenStr, score(c.score), bar(c.score)]),
    ['right', 'left', 'right'],
  );
}

export function fillMaskCommand(): Command {
  return withCommonOptions(new Command('fill-mask'))
    .description('the likeliest tokens for each [MASK] in the text')
    .argument('[texts...]', 'texts with [MASK] (default: stdin lines)')
    .option('-k, --top-k <n>', 'candidates per mask', '5')
    .action(async (texts: string[], options: CommonOptions & { topK: string }) => {
      const topK = positiveInt(options.topK, '--top-k');
      const inputs = await textInputs(texts, 'text', 'albert fill-mask "The capital of France is [MASK]."');
      const fill = await openPipeline('fill-mask', options);
      const outputs = await fill(inputs, { topK });
      fill.dispose();
      emit(options, inputs, outputs, (input, output) => {
        const perMask = (Array.isArray(output[0]) ? output : [output]) as FillMaskCandidate[][];
        return [
          input,
          ...perMask.map((c, m) => (perMask.length > 1 ? `mask ${m + 1}:\n` : '') + candidatesTable(c)),
        ].join('\n');
      });
    });
}
