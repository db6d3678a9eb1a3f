// albert classify "What a lovely day!" — labels with scores (sentiment with an SST-2 model).
import type { LabelScore } from 'albert-ts';
import { Command } from 'commander';
import { textInputs } from '../inputs.js';
import { type CommonOptions, emit, openPipeline, withCommonOptions } from '../options.js';
import { bar, score, table } from '../table.js';

export function classifyCommand(): Command {
  return withCommonOptions(new Command('classify'))
    .description('classify texts (sentiment with the default SST-2 model): every label with its score')
    .argument('[texts...]', 'texts (default: stdin lines)')
    .action(async (texts: string[], options: CommonOptions) => {
      const inputs = await textInputs(texts, 'text', 'albert classify "What a lovely day!"');
      const classify = await openPipeline('text-classification', options);
      const outputs = (await classify(inputs, { topK: null })) as LabelScore[][];
      classify.dispose();
      emit(options, inputs, outputs, (input, labels) =>
        [
          input,
          table(
            ['label', 'score', ''],
            labels.map((l) => [l.label, score(l.score), bar(l.score)]),
            ['left', 'right'],
          ),
        ].join('\n'),
      );
    });
}
