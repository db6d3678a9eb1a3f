// albert tokenize "Hello world!" — SentencePiece pieces, ids and character offsets.
import { AlbertError, AutoTokenizer } from 'albert-ts';
import { Command } from 'commander';
import { ModelLoadError } from '../../errors.js';
import { tokenRows } from '../../info/tokens.js';
import { chooseModel } from '../../models/choose-model.js';
import { textInputs } from '../inputs.js';
import { type CommonOptions, emit, printNotice } from '../options.js';
import { table } from '../table.js';

export function tokenizeCommand(): Command {
  return new Command('tokenize')
    .description("the model's tokenizer: each text's pieces, ids and [start, end) offsets into the text")
    .argument('[texts...]', 'texts (default: stdin lines)')
    .option('-m, --model <folder|url|hub id>', 'the model whose tokenizer to use (default: the embedded default model)')
    .option('--json', 'print JSON lines ({ input, output } per input) instead of tables')
    .action(async (texts: string[], options: CommonOptions) => {
      const inputs = await textInputs(texts, 'text', 'albert tokenize "Hello world!"');
      const choice = await chooseModel('fill-mask', options.model, 'tokenize');
      printNotice(choice);
      const tokenizer = await AutoTokenizer.fromPretrained(choice.model).catch((err: unknown) => {
        if (!(err instanceof AlbertError)) throw err;
        throw new ModelLoadError(`cannot load the tokenizer of ${choice.name}: ${err.message}`, { cause: err });
      });
      const outputs = inputs.map((text) => tokenRows(tokenizer, text));
      emit(options, inputs, outputs, (input, rows) =>
        [
          input,
          table(
            ['#', 'piece', 'id', 'start', 'end', 'text'],
            rows.map((r, k) => [String(k), r.piece, String(r.id), String(r.start), String(r.end), r.text]),
            ['right', 'left', 'right', 'right', 'right', 'left'],
          ),
        ].join('\n'),
      );
    });
}
