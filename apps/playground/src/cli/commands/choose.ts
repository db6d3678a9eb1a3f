// albert choose "Where did the rabbit go?" "down a hole" "up a tree" — multiple choice.
import type { MultipleChoiceInput, MultipleChoiceResult } from 'albert-ts';
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { stdinLines } from '../inputs.js';
import { type CommonOptions, emit, openPipeline, withCommonOptions } from '../options.js';
import { bar, score, table } from '../table.js';

export function chooseCommand(): Command {
  return withCommonOptions(new Command('choose'))
    .description('multiple choice: the score of each choice as the answer to the prompt')
    .argument('[prompt]', 'the prompt (default: stdin lines "prompt<TAB>choice<TAB>choice…")')
    .argument('[choices...]', 'two or more choices')
    .action(async (prompt: string | undefined, choices: string[], options: CommonOptions) => {
      let inputs: MultipleChoiceInput[];
      if (prompt != null) inputs = [{ prompt, choices }];
      else {
        inputs = (await stdinLines()).map((line) => {
          const [p = '', ...c] = line.split('\t');
          return { prompt: p, choices: c };
        });
        if (inputs.length === 0)
          throw new UsageError('choose needs a prompt and choices: albert choose "Where?" "down a hole" "up a tree"');
      }
      const choose = await openPipeline('multiple-choice', options);
      const outputs = (await choose(inputs)) as MultipleChoiceResult[];
      choose.dispose();
      emit(options, inputs, outputs, (input, result) =>
        [
          input.prompt,
          table(
            ['', 'choice', 'score', ''],
            input.choices.map((c, k) => [
              k === result.index ? '→' : '',
              c,
              score(result.scores[k] ?? 0),
              bar(result.scores[k] ?? 0),
            ]),
            ['left', 'left', 'right'],
          ),
        ].join('\n'),
      );
    });
}
