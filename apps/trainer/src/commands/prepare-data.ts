// `albert-train prepare-data`: a text corpus → ALBERT pretraining examples (SOP pairs + n-gram
// masks) in TFRecord shards with create_pretraining_data.py's feature names, written in parallel on
// worker threads. The shards feed google-research/albert's run_pretraining.py unchanged (README).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { requireFile, spieceModelPath } from '../cli/files.js';
import { addCommonOptions, type CommonFlags, collect, int } from '../cli/options.js';
import { peakRssMiB, reporter, seconds } from '../cli/output.js';
import { addExampleShapeOptions, EXAMPLE_DEFAULTS, type ExampleShape } from '../data/corpus-options.js';
import { runShards } from '../data/run-shards.js';
import { planShards } from '../data/shard-plan.js';
import type { ShardJob, ShardResult } from '../data/write-shard.js';
import { UsageError } from '../errors.js';
import { ProgressBar } from '../progress/progress-bar.js';

export interface PrepareDataFlags extends CommonFlags, ExampleShape {
  input: string[];
  tokenizer: string;
  output: string;
  shards: number;
  workers: number;
  dupeFactor: number;
  prefix: string;
}

export interface PrepareDataSummary {
  output: string;
  shards: { file: string; examples: number; tokens: number; masked: number; swapped: number; threadId: number }[];
  examples: number;
  workers: number;
  /** Distinct worker threads that wrote shards (≤ workers). */
  threadsUsed: number;
  maxSeqLength: number;
  maxPredictionsPerSeq: number;
  inputBytes: number;
  seconds: number;
  examplesPerSecond: number;
  peakRssMiB: number;
}

export function shardName(prefix: string, index: number, count: number): string {
  const pad = (n: number) => String(n).padStart(5, '0');
  return `${prefix}-${pad(index)}-of-${pad(count)}.tfrecord`;
}

/** The jobs of a run (also used by tests to write a shard in this thread). */
export async function prepareJobs(flags: PrepareDataFlags): Promise<ShardJob[]> {
  for (const path of flags.input) requireFile(path, 'input file');
  const model = new Uint8Array(await readFile(spieceModelPath(flags.tokenizer)));
  if (flags.maxPredictionsPerSeq > flags.maxSeqLength) {
    throw new UsageError(
      `--max-predictions-per-seq (${flags.maxPredictionsPerSeq}) cannot exceed --max-seq-length (${flags.maxSeqLength}).`,
    );
  }
  const shape: ExampleShape = {
    maxSeqLength: flags.maxSeqLength,
    maxPredictionsPerSeq: flags.maxPredictionsPerSeq,
    maskedLmProb: flags.maskedLmProb,
    shortSeqProb: flags.shortSeqProb,
    ngram: flags.ngram,
    seed: flags.seed,
    shuffleBuffer: flags.shuffleBuffer,
  };
  return planShards(flags.input, flags.shards).map((parts, index) => ({
    index,
    count: flags.shards,
    parts,
    output: join(flags.output, shardName(flags.prefix, index, flags.shards)),
    scratch: join(flags.output, `.scratch-${process.pid}`),
    model,
    shape,
    dupeFactor: flags.dupeFactor,
  }));
}

export async function prepareDataCommand(flags: PrepareDataFlags): Promise<PrepareDataSummary> {
  const out = reporter(flags);
  await mkdir(flags.output, { recursive: true });
  const jobs = await prepareJobs(flags);
  const inputBytes = jobs.flatMap((j) => j.parts).reduce((a, p) => a + p.end - p.start, 0);
  const total = inputBytes * flags.dupeFactor;
  const bar = new ProgressBar({
    label: 'prepare-data',
    total: Math.max(0.1, Math.round(total / 1e5) / 10),
    unit: 'MB',
    fields: ['MBps'],
    enabled: flags.quiet !== true,
  });
  const started = performance.now();
  let results: ShardResult[];
  try {
    results = await runShards(jobs, flags.workers, (bytes) => {
      const s = (performance.now() - started) / 1000;
      bar.update(Math.round(bytes / 1e5) / 10, { MBps: s > 0 ? (bytes / 1e6 / s).toFixed(2) : '-' });
    });
  } finally {
    bar.stop();
    await rm(jobs[0]?.scratch ?? join(flags.output, '.scratch'), { recursive: true, force: true });
  }
  const examples = results.reduce((a, r) => a + r.examples, 0);
  const elapsed = performance.now() - started;
  const summary: PrepareDataSummary = {
    output: flags.output,
    shards: results.map((r) => ({
      file: r.output,
      examples: r.examples,
      tokens: r.tokens,
      masked: r.masked,
      swapped: r.swapped,
      threadId: r.threadId,
    })),
    examples,
    workers: flags.workers,
    threadsUsed: new Set(results.map((r) => r.threadId)).size,
    maxSeqLength: flags.maxSeqLength,
    maxPredictionsPerSeq: flags.maxPredictionsPerSeq,
    inputBytes,
    seconds: seconds(elapsed),
    examplesPerSecond: Math.round(examples / (elapsed / 1000)),
    peakRssMiB: peakRssMiB(),
  };
  const manifest = {
    ...summary,
    tokenizer: flags.tokenizer,
    input: flags.input,
    options: jobs[0]?.shape,
    dupeFactor: flags.dupeFactor,
  };
  await writeFile(join(flags.output, 'prepare-data.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  out.summary(
    summary,
    (s) =>
      `wrote ${s.examples} examples in ${s.shards.length} shards under ${s.output} with ${s.threadsUsed} worker thread(s) ` +
      `in ${s.seconds} s (${s.examplesPerSecond} examples/s, peak RSS ${s.peakRssMiB} MiB of the main thread's process)`,
  );
  return summary;
}

export function prepareDataCli(): Command {
  const command = new Command('prepare-data')
    .summary('text corpus → pretraining examples (SOP pairs + n-gram masks) in TFRecord shards')
    .description(
      "Turns text (one sentence or paragraph per line, a blank line between documents) into ALBERT's pretraining " +
        'examples, exactly as create_pretraining_data.py builds them, and writes them as TFRecord shards with its ' +
        'feature names (input_ids, input_mask, segment_ids, token_boundary, masked_lm_positions, masked_lm_ids, ' +
        'masked_lm_weights, next_sentence_labels), several shards at once on worker threads. The shards feed ' +
        "google-research/albert's run_pretraining.py, or `albert-train pretrain --tfrecord`.",
    )
    .requiredOption('-i, --input <files>', 'text file(s); repeat or comma-separate', collect)
    .requiredOption('-t, --tokenizer <path>', 'spiece.model, or a folder holding one')
    .requiredOption('-o, --output <folder>', 'where the shards and prepare-data.json go')
    .option('--shards <n>', 'number of output files', int('--shards', 1), 8)
    .option('--workers <n>', 'worker threads', int('--workers', 1), Math.max(1, availableParallelism()))
    .option('--prefix <name>', 'shard file name prefix', 'pretrain')
    .option(
      '--dupe-factor <n>',
      'passes over the text, each with fresh pairs and masks (original default 40)',
      int('--dupe-factor', 1),
      1,
    )
    .addHelpText(
      'after',
      `
Example (128-token examples of the Gutenberg corpus, 8 shards on 2 threads):
  $ albert-train prepare-data --input data/gutenberg_en/train.txt --tokenizer runs/tok16k \\
      --output runs/data128 --max-seq-length 128 --shards 8 --workers 2
  then, on a TPU/GPU machine with google-research/albert:
  $ python -m albert.run_pretraining --input_file='runs/data128/*.tfrecord' --output_dir=out \\
      --albert_config_file=albert_config.json --do_train --max_seq_length=128 --max_predictions_per_seq=20`,
    )
    .action((flags: PrepareDataFlags) => prepareDataCommand(flags).then(() => undefined));
  addExampleShapeOptions(command, EXAMPLE_DEFAULTS.maxSeqLength);
  return addCommonOptions(command);
}
