// albert similarity "a rabbit" "a hare" "a teapot" — cosine similarity of each sentence to the first.
import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { stdinLines } from '../inputs.js';
import { type CommonOptions, emit, openPipeline, withCommonOptions } from '../options.js';
import { table } from '../table.js';

type SimilarityOptions = CommonOptions & { pooling: 'mean' | 'cls' };

export function similarityCommand(): Command {
  return withCommonOptions(new Command('similarity'))
    .description('sentence similarity: the cosine of each sentence with the source sentence')
    .argument('<source>', 'the sentence to compare with')
    .argument('[sentences...]', 'sentences (default: stdin lines)')
    .addOption(new Option('-p, --pooling <kind>', 'pooling').choices(['mean', 'cls']).default('mean'))
    .action(async (source: string, sentences: string[], options: SimilarityOptions) => {
      const list = sentences.length > 0 ? sentences : await stdinLines();
      if (list.length === 0)
        throw new UsageError('similarity needs sentences to compare: albert similarity "a rabbit" "a hare" "a teapot"');
      const similar = await openPipeline('sentence-similarity', options, { pooling: options.pooling });
      const scores = (await similar({ source, sentences: list })) as number[];
      similar.dispose();
      emit(options, [{ source, sentences: list }], [scores], () =>
        [
          `source: ${source}`,
          table(
            ['sentence', 'cosine'],
            list.map((s, k) => [s, (scores[k] ?? 0).toFixed(4)]),
            ['left', 'right'],
          ),
        ].join('\n'),
      );
    });
}
