// `albert-train tokenizer`: a SentencePiece unigram model with ALBERT's recipe (the tokenizer
// package's `trainUnigramFromFiles` with preset 'albert': <pad>=0 <unk>=1 [CLS]=2 [SEP]=3 [MASK]=4,
// lower-cased, character coverage 0.99995, at most 10M sampled sentences).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type TrainerProgress, trainUnigramFromFiles, type UnigramTrainResult } from '@albert-ts/tokenizer';
import { Command } from 'commander';
import { requireFile } from '../cli/files.js';
import { addCommonOptions, type CommonFlags, collect, int, num } from '../cli/options.js';
import { peakRssMiB, reporter, seconds } from '../cli/output.js';
import { albertTokenizerConfig } from '../hf/tokenizer-config.js';
import { ProgressBar } from '../progress/progress-bar.js';

export interface TokenizerFlags extends CommonFlags {
  input: string[];
  output: string;
  vocabSize: number;
  characterCoverage?: number;
  inputSentenceSize?: number;
  seed?: number;
  numThreads?: number;
  maxSentenceLength?: number;
  modelMaxLength: number;
}

export interface TokenizerSummary {
  model: string;
  files: string[];
  vocabSize: number;
  sentences: number;
  distinctWords: number;
  skippedTooLong: number;
  characterCoverage: number;
  seconds: number;
  peakRssMiB: number;
}

const STAGES: TrainerProgress['stage'][] = ['read', 'normalize', 'seed', 'em', 'prune', 'finalize', 'done'];

export async function tokenizerCommand(flags: TokenizerFlags): Promise<TokenizerSummary> {
  const out = reporter(flags);
  for (const path of flags.input) requireFile(path, 'input file');
  const asFile = flags.output.endsWith('.model');
  const modelPath = asFile ? flags.output : join(flags.output, 'spiece.model');
  await mkdir(dirname(modelPath), { recursive: true });

  const bar = new ProgressBar({
    label: 'tokenizer',
    total: 100,
    fields: ['stage', 'pieces'],
    unit: '%',
    enabled: flags.quiet !== true,
  });
  let seedPieces = 0;
  const onProgress = (p: TrainerProgress) => {
    // Percent: the stage's share of the run, and within EM + pruning the log-distance travelled
    // from the seed vocabulary down to the target size (pruning shrinks it geometrically).
    if (p.stage === 'seed' && p.pieces !== undefined) seedPieces = p.pieces;
    let within = p.total ? p.done / p.total : 0;
    if ((p.stage === 'em' || p.stage === 'prune') && p.pieces !== undefined && p.targetPieces !== undefined) {
      const span = Math.log(Math.max(seedPieces, p.pieces) / p.targetPieces);
      within = span > 0 ? Math.min(1, Math.log(Math.max(seedPieces, p.pieces) / p.pieces) / span) : 1;
    }
    const weights = [10, 15, 10, 55, 0, 10, 0];
    const index = STAGES.indexOf(p.stage === 'prune' ? 'em' : p.stage);
    const before = weights.slice(0, index).reduce((a, b) => a + b, 0);
    bar.update(Math.round(before + (weights[index] ?? 0) * within), { stage: p.stage, pieces: p.pieces ?? '-' });
  };

  const started = performance.now();
  let result: UnigramTrainResult;
  try {
    result = await trainUnigramFromFiles(flags.input, {
      preset: 'albert',
      vocabSize: flags.vocabSize,
      onProgress,
      ...(flags.characterCoverage !== undefined && { characterCoverage: flags.characterCoverage }),
      ...(flags.inputSentenceSize !== undefined && { inputSentenceSize: flags.inputSentenceSize }),
      ...(flags.seed !== undefined && { seed: flags.seed }),
      ...(flags.numThreads !== undefined && { numThreads: flags.numThreads }),
      ...(flags.maxSentenceLength !== undefined && { maxSentenceLength: flags.maxSentenceLength }),
    });
  } finally {
    bar.stop();
  }
  await writeFile(modelPath, result.bytes);
  const vocab = result.model.pieces.map((p) => `${p.piece}\t${Math.round(p.score * 1e4) / 1e4}\n`).join('');
  await writeFile(modelPath.replace(/\.model$/, '.vocab'), vocab);
  if (!asFile) {
    const config = albertTokenizerConfig({ modelMaxLength: flags.modelMaxLength });
    await writeFile(join(flags.output, 'tokenizer_config.json'), `${JSON.stringify(config, null, 2)}\n`);
  }
  const s = result.stats;
  const summary: TokenizerSummary = {
    model: modelPath,
    files: flags.input,
    vocabSize: result.model.pieces.length,
    sentences: s.sentences,
    distinctWords: s.words,
    skippedTooLong: s.skippedTooLong,
    characterCoverage: s.characterCoverage,
    seconds: seconds(performance.now() - started),
    peakRssMiB: peakRssMiB(),
  };
  out.summary(
    summary,
    (x) =>
      `wrote ${x.model}: ${x.vocabSize} pieces from ${x.sentences} sentences (${x.distinctWords} distinct words, ` +
      `${x.skippedTooLong} too long skipped, coverage ${(x.characterCoverage * 100).toFixed(3)}%) in ${x.seconds} s, peak RSS ${x.peakRssMiB} MiB`,
  );
  return summary;
}

export function tokenizerCli(): Command {
  const command = new Command('tokenizer')
    .summary("train a SentencePiece unigram vocabulary with ALBERT's settings")
    .description(
      "Trains a SentencePiece unigram model with ALBERT's recipe: <pad>=0 <unk>=1 [CLS]=2 [SEP]=3 [MASK]=4, the " +
        'user-defined symbols ( ) " - . – £ €, lower-cased text, character coverage 0.99995, at most 10M sampled ' +
        'sentences. Input: UTF-8 text, one sentence or paragraph per line, streamed (never loaded whole).',
    )
    .requiredOption('-i, --input <files>', 'training text file(s); repeat or comma-separate', collect)
    .requiredOption(
      '-o, --output <path>',
      'a folder (gets spiece.model, spiece.vocab, tokenizer_config.json) or a .model file name',
    )
    .option('--vocab-size <n>', 'vocabulary size', int('--vocab-size', 10), 30000)
    .option(
      '--character-coverage <x>',
      'fraction of characters covered (ALBERT: 0.99995)',
      num('--character-coverage', 0, 1),
    )
    .option(
      '--input-sentence-size <n>',
      'sample at most this many lines, 0 = all (ALBERT: 10000000)',
      int('--input-sentence-size', 0),
    )
    .option('--seed <n>', 'seed of the line sampler', int('--seed', 0))
    .option('--num-threads <n>', 'worker threads for the EM passes (spm_train --num_threads)', int('--num-threads', 1))
    .option(
      '--max-sentence-length <n>',
      'skip lines longer than this many bytes (default 4192)',
      int('--max-sentence-length', 1),
    )
    .option(
      '--model-max-length <n>',
      'model_max_length written to tokenizer_config.json',
      int('--model-max-length', 1),
      512,
    )
    .addHelpText(
      'after',
      `
Example (the default model's vocabulary, 34 MB of Project Gutenberg):
  $ albert-train tokenizer --input data/gutenberg_en/train.txt --vocab-size 16000 --output runs/tok16k
  writes runs/tok16k/spiece.model, spiece.vocab and tokenizer_config.json`,
    )
    .action((flags: TokenizerFlags) => tokenizerCommand(flags).then(() => undefined));
  return addCommonOptions(command);
}
