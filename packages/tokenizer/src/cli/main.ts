#!/usr/bin/env node
// albert-tokenizer: tokenize text with a SentencePiece/ALBERT model, or train a unigram model.
//   albert-tokenizer tokenize --model spiece.model < texts.txt > tokens.jsonl
//   albert-tokenizer train corpus.txt --output my.model --preset albert --vocab-size 30000

import { Command, InvalidArgumentError, Option } from 'commander';
import { AlbertError } from '../errors.js';
import { tokenizeCommand } from './tokenize-command.js';
import { trainCommand } from './train-command.js';

const int = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer, got '${value}'`);
  return n;
};
const num = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got '${value}'`);
  return n;
};
const list = (value: string) => value.split(',').filter((s) => s.length > 0);

const program = new Command()
  .name('albert-tokenizer')
  .description('Tokenize with an ALBERT/SentencePiece .model, or train a SentencePiece unigram model.')
  .showHelpAfterError();

program
  .command('tokenize')
  .description('text lines or JSONL (file or stdin) in; one JSON line {ids, pieces, offsets, …} per input out')
  .argument('[texts...]', 'texts to tokenize (instead of reading --input / stdin)')
  .requiredOption('-m, --model <path>', 'SentencePiece .model file (e.g. spiece.model)')
  .option('-i, --input <path>', "input file ('-' or none: stdin)")
  .addOption(
    new Option('-f, --format <format>', 'input format (default: jsonl for *.jsonl, else text)').choices([
      'text',
      'jsonl',
    ]),
  )
  .option('--field <name>', 'JSONL field holding the text', 'text')
  .option('--pair', 'encode text pairs: A<TAB>B lines, or JSONL with --pair-field')
  .option('--pair-field <name>', 'JSONL field holding the second text', 'text_pair')
  .option('--max-length <n>', 'truncate to this many tokens (special tokens included)', int('--max-length'))
  .addOption(
    new Option('--truncation <strategy>', 'truncation strategy (default with --max-length: longest_first)').choices([
      'longest_first',
      'only_first',
      'only_second',
      'do_not_truncate',
    ]),
  )
  .option('--stride <n>', 'return the truncated rest as overlapping windows in "overflow"', int('--stride'))
  .option('--padding', 'pad to --max-length')
  .option('--no-special-tokens', 'do not add [CLS]/[SEP]')
  .option('--raw', 'plain SentencePiece encoding (no ALBERT preprocessing, no special tokens)')
  .action(tokenizeCommand);

program
  .command('train')
  .description('train a SentencePiece unigram model from text files (one sentence per line)')
  .argument('<files...>', "training text files (UTF-8, one sentence or paragraph per line); '-' reads stdin")
  .requiredOption('-o, --output <path>', 'the .model file to write (a .vocab listing is written beside it)')
  .addOption(
    new Option(
      '--preset <name>',
      "start from a recipe ('albert': vocab 30000, <pad>=0 <unk>=1 [CLS] [SEP] [MASK], lower-cased)",
    ).choices(['albert']),
  )
  .option('--vocab-size <n>', 'vocabulary size (default 8000; albert: 30000)', int('--vocab-size'))
  .option('--character-coverage <x>', 'fraction of characters to cover (default 0.9995)', num('--character-coverage'))
  .option('--input-sentence-size <n>', 'sample at most this many sentences (0 = all)', int('--input-sentence-size'))
  .option('--no-shuffle-input-sentence', 'take the first --input-sentence-size sentences instead of sampling')
  .option('--seed <n>', 'seed of the sentence sampler (default 0)', int('--seed'))
  .option(
    '--max-sentence-length <n>',
    'skip lines longer than this many bytes (default 4192)',
    int('--max-sentence-length'),
  )
  .option('--seed-sentencepiece-size <n>', 'seed vocabulary size (default 1000000)', int('--seed-sentencepiece-size'))
  .option(
    '--shrinking-factor <x>',
    'keep this fraction of pieces per pruning round (default 0.75)',
    num('--shrinking-factor'),
  )
  .option('--num-sub-iterations <n>', 'EM iterations per round (default 2)', int('--num-sub-iterations'))
  .option(
    '--max-sentencepiece-length <n>',
    'longest piece in characters (default 16)',
    int('--max-sentencepiece-length'),
  )
  .option('--no-split-by-whitespace', 'let pieces cross word boundaries')
  .option('--no-split-by-unicode-script', 'let pieces mix scripts')
  .option('--no-split-by-number', 'let digits join letters')
  .option('--split-digits', 'every digit is its own piece')
  .option('--user-defined-symbols <list>', 'comma-separated symbols kept whole', list)
  .option('--control-symbols <list>', 'comma-separated control symbols', list)
  .option('--required-chars <chars>', 'characters always in the vocabulary')
  .option('--unk-id <n>', 'id of <unk> (default 0)', int('--unk-id'))
  .option('--bos-id <n>', 'id of <s>, -1 for none (default 1)', int('--bos-id'))
  .option('--eos-id <n>', 'id of </s>, -1 for none (default 2)', int('--eos-id'))
  .option('--pad-id <n>', 'id of <pad>, -1 for none (default -1)', int('--pad-id'))
  .option('--unk-piece <s>', 'the unknown piece (default <unk>)')
  .option('--bos-piece <s>', 'the begin-of-sentence piece (default <s>)')
  .option('--eos-piece <s>', 'the end-of-sentence piece (default </s>)')
  .option('--pad-piece <s>', 'the padding piece (default <pad>)')
  .option('--num-threads <n>', 'worker threads for EM (default 1)', int('--num-threads'))
  .option('--lowercase', 'lower-case the input first')
  .addOption(new Option('--normalization-rule-name <name>', 'normalizer').choices(['nmt_nfkc', 'identity']))
  .option('--no-legacy-prune-loss', "pruning loss with each piece's own alternatives count (not spm 0.1.97's)")
  .option('--no-hard-vocab-limit', 'write a smaller vocabulary when the corpus cannot fill --vocab-size')
  .option('--no-vocab', 'do not write the .vocab listing')
  .option('-q, --quiet', 'no progress output')
  .action(async (files: string[], flags: Record<string, unknown>, command: Command) => {
    // commander sets negatable options (--no-x) to true by default: pass only what the user set.
    const trainer: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(flags)) {
      if (value === undefined) continue;
      if (command.getOptionValueSource(key) === 'default') continue;
      trainer[key] = value;
    }
    await trainCommand(files, { ...trainer, output: flags.output as string, vocab: flags.vocab !== false } as never);
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof AlbertError) {
    process.stderr.write(`albert-tokenizer: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
});
