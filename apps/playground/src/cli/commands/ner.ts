// albert ner "Alice met the Queen in Wonderland." — named entities with their character offsets.
import type { AggregationStrategy, GroupedEntity } from 'albert-ts';
import { Command, Option } from 'commander';
import { textInputs } from '../inputs.js';
import { type CommonOptions, emit, openPipeline, withCommonOptions } from '../options.js';
import { score, table } from '../table.js';

export function nerCommand(): Command {
  return withCommonOptions(new Command('ner'))
    .description('named entities: each with its label, score and [start, end) offsets into the text')
    .argument('[texts...]', 'texts (default: stdin lines)')
    .addOption(
      new Option('-a, --aggregation <strategy>', 'how word pieces join into entities')
        .choices(['simple', 'first', 'average', 'max'])
        .default('simple'),
    )
    .action(async (texts: string[], options: CommonOptions & { aggregation: AggregationStrategy }) => {
      const inputs = await textInputs(texts, 'text', 'albert ner "Alice met the Queen in Wonderland."');
      const ner = await openPipeline('token-classification', options, { aggregationStrategy: options.aggregation });
      const outputs = (await ner(inputs)) as unknown as GroupedEntity[][];
      ner.dispose();
      emit(options, inputs, outputs, (input, entities) =>
        [
          input,
          entities.length === 0
            ? '(no entities)'
            : table(
                ['entity', 'label', 'score', 'start', 'end'],
                entities.map((e) => [e.word, e.entityGroup, score(e.score), String(e.start), String(e.end)]),
                ['left', 'left', 'right', 'right', 'right'],
              ),
        ].join('\n'),
      );
    });
}
