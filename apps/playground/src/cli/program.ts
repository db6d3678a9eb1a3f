// The albert command line: one commander program, one sub-command per file in ./commands.
import { createServeCommand } from '@albert-ts/server';
import { Command } from 'commander';
import { chooseCommand } from './commands/choose.js';
import { classifyCommand } from './commands/classify.js';
import { embedCommand } from './commands/embed.js';
import { fillMaskCommand } from './commands/fill-mask.js';
import { infoCommand } from './commands/info.js';
import { nerCommand } from './commands/ner.js';
import { qaCommand } from './commands/qa.js';
import { similarityCommand } from './commands/similarity.js';
import { tokenizeCommand } from './commands/tokenize.js';

export function createProgram(): Command {
  const program = new Command('albert')
    .description(
      'Run ALBERT from the terminal: every task on the embedded default model or any Hugging Face ALBERT folder, ' +
        'URL or hub id (--model). Texts come from the arguments or, one per line, from stdin.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: false });
  for (const command of [
    fillMaskCommand(),
    classifyCommand(),
    nerCommand(),
    qaCommand(),
    chooseCommand(),
    embedCommand(),
    similarityCommand(),
    tokenizeCommand(),
    infoCommand(),
    createServeCommand(), // albert serve: @albert-ts/server (HTTP, dynamic batching, probes, metrics)
  ])
    program.addCommand(command);
  return program;
}
