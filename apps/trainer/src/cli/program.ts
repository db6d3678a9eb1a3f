// The albert-train command line: one commander program, one sub-command per file in ../commands.
import { Command } from 'commander';
import { evaluateCli } from '../commands/evaluate.js';
import { exportCli } from '../commands/export.js';
import { finetuneCli } from '../commands/finetune.js';
import { plotCli } from '../commands/plot.js';
import { prepareDataCli } from '../commands/prepare-data.js';
import { pretrainCli } from '../commands/pretrain.js';
import { tokenizerCli } from '../commands/tokenizer.js';

export function createProgram(): Command {
  const program = new Command('albert-train')
    .description(
      'Train ALBERT end to end: a tokenizer, pretraining data, pretraining, fine-tuning, evaluation and export to ' +
        'a Hugging Face folder. Run `albert-train <command> --help` for a worked example of each command.',
    )
    .showHelpAfterError('(run with --help for usage and an example)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: false });
  program.addCommand(tokenizerCli());
  program.addCommand(prepareDataCli());
  program.addCommand(pretrainCli());
  program.addCommand(finetuneCli());
  program.addCommand(evaluateCli());
  program.addCommand(exportCli());
  program.addCommand(plotCli());
  return program;
}
