// `albert-train finetune --task …`: a pretrained folder → a task model, trained with AdamW and a
// linear schedule (by default), evaluated on the dev set with the task's metric during training;
// the best evaluation's model is kept in <output>/best/ (a Hugging Face folder).
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyTaskModel } from '@albert-ts/core';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { arraySource, type DataSourceFactory, NodeCheckpointStorage, Trainer } from '@albert-ts/training';
import { Command, Option } from 'commander';
import { readFolderSpiece, readFolderTokenizerOptions, requireFile } from '../cli/files.js';
import {
  addBackendOption,
  addCommonOptions,
  type BackendFlags,
  type CommonFlags,
  explicitOptions,
  int,
  startBackend,
} from '../cli/options.js';
import { peakRssMiB, reporter, seconds } from '../cli/output.js';
import { CorpusTooSmallError } from '../errors.js';
import { BEST, resolveModelFolder, writeTokenizerFiles } from '../model/model-folder.js';
import { checkpointsFolder, openMetricsLog, startOrResume } from '../run/run-folder.js';
import { TASK_NAMES, type TaskOptions } from '../tasks/task.js';
import { taskFor } from '../tasks/tasks.js';
import { addOptimizerOptions, buildOptimizer, type OptimizerFlags } from '../train/optimizer-flags.js';
import { watchTrainer } from '../train/watch-trainer.js';
import { plotRun } from './plot.js';

export interface FinetuneFlags extends CommonFlags, BackendFlags, OptimizerFlags {
  task: string;
  model: string;
  train: string;
  dev: string;
  output: string;
  tokenizer?: string;
  maxSeqLength: number;
  batchSize: number;
  epochs: number;
  steps?: number;
  evalEvery?: number;
  evalBatchSize: number;
  keepCheckpoints: number;
  maxTrainExamples?: number;
  maxDevExamples?: number;
  docStride: number;
  maxQueryLength: number;
  seed: number;
  /** Batch examples of similar length together (commander's --no-group-by-length sets false). */
  groupByLength: boolean;
  resume?: boolean;
  overwrite?: boolean;
}

/** The token count of a feature with one input row (classification, NER, QA windows); else undefined. */
function featureLength(f: unknown): number | undefined {
  const ids = (f as { inputIds?: unknown }).inputIds;
  return ids != null &&
    typeof (ids as ArrayLike<number>).length === 'number' &&
    typeof (ids as ArrayLike<number>)[0] === 'number'
    ? (ids as ArrayLike<number>).length
    : undefined;
}

type Best = { step: number; metric: string; value: number; metrics: Record<string, number> };

export interface FinetuneSummary {
  task: string;
  output: string;
  backend: string;
  steps: number;
  reason: string;
  trainExamples: number;
  devExamples: number;
  best: (Best & { folder: string }) | null;
  last: Record<string, number> | null;
  tokensPerSecond: number;
  trainSeconds: number;
  chart: { svg: string; png: string } | null;
  peakRssMiB: number;
}

export async function finetuneCommand(given: FinetuneFlags, explicit: Set<string>): Promise<FinetuneSummary> {
  const out = reporter(given);
  const flags = startOrResume(
    given.output,
    'finetune',
    given as unknown as Record<string, unknown>,
    explicit,
    given,
  ) as unknown as FinetuneFlags;
  const task = taskFor(flags.task);
  const folder = resolveModelFolder(flags.model);
  const spiece = readFolderSpiece(folder, flags.tokenizer);
  const tokenizerOptions = readFolderTokenizerOptions(folder); // the flags the base model was trained with
  const tokenizer = AlbertTokenizer.fromBytes(spiece, tokenizerOptions);
  const options = (limit?: number): TaskOptions => ({
    maxSeqLength: flags.maxSeqLength,
    limit,
    docStride: flags.docStride,
    maxQueryLength: flags.maxQueryLength,
  });
  const train = await task.read(
    requireFile(flags.train, 'training file'),
    tokenizer,
    options(flags.maxTrainExamples),
    'train',
  );
  const dev = await task.read(requireFile(flags.dev, 'dev file'), tokenizer, options(flags.maxDevExamples), 'dev');
  if (train.features.length < flags.batchSize) {
    throw new CorpusTooSmallError(
      `${flags.train} gives ${train.features.length} training features; a batch needs ${flags.batchSize}. Lower --batch-size.`,
    );
  }
  const backend = await startBackend(flags);
  out.info(`backend: ${backend}`);
  const model = await task.load(folder, { seed: flags.seed, warn: (m) => out.info(m) });
  const stepsPerEpoch = Math.ceil(train.features.length / flags.batchSize);
  const steps = flags.steps ?? flags.epochs * stepsPerEpoch;
  const evalEvery = Math.min(flags.evalEvery ?? stepsPerEpoch, steps);
  const { optimizer, schedule } = buildOptimizer(flags, steps);
  out.info(
    `${task.name}: ${train.features.length} training features, ${dev.features.length} dev features; ${steps} steps, ` +
      `evaluating every ${evalEvery} on ${task.metric}`,
  );

  // The best evaluation so far (a resumed run continues with the one it had).
  const bestFolder = join(flags.output, BEST);
  const bestFile = join(bestFolder, 'best.json');
  let best: Best | null =
    flags.resume === true && existsSync(bestFile) ? (JSON.parse(readFileSync(bestFile, 'utf8')) as Best) : null;
  const saveBest = async (m: AnyTaskModel, step: number, metrics: Record<string, number>) => {
    const value = metrics[task.metric] as number;
    if (best != null && !(value > best.value)) return;
    best = { step, metric: task.metric, value, metrics };
    const tmp = `${bestFolder}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    await m.savePretrained(tmp);
    writeTokenizerFiles(tmp, spiece, m.config.maxPositionEmbeddings, tokenizerOptions);
    writeFileSync(join(tmp, 'best.json'), `${JSON.stringify(best, null, 2)}\n`);
    rmSync(bestFolder, { recursive: true, force: true });
    renameSync(tmp, bestFolder);
  };

  const trainer = new Trainer({
    model,
    optimizer,
    learningRate: schedule,
    // (a typed-state factory widened to the Trainer's `unknown` state)
    data: arraySource(train.features, {
      batchSize: flags.batchSize,
      collate: task.collate,
      seed: flags.seed,
      epochs: Number.POSITIVE_INFINITY,
      length:
        flags.groupByLength && featureLength(train.features[0]) !== undefined
          ? (f) => featureLength(f) as number
          : undefined,
    }) as DataSourceFactory<unknown>,
    toInputs: (batch) => task.toInputs(batch),
    maxSteps: steps,
    maxGradNorm: flags.maxGradNorm > 0 ? flags.maxGradNorm : null,
    seed: flags.seed,
    checkpoints: {
      storage: new NodeCheckpointStorage(checkpointsFolder(flags.output)),
      every: evalEvery,
      keep: flags.keepCheckpoints,
      files: { 'spiece.model': spiece },
      overwrite: flags.overwrite === true,
    },
    evaluation: {
      every: evalEvery,
      evaluate: async (m, step) => {
        const { metrics } = await task.evaluate(m, dev, flags.evalBatchSize);
        await saveBest(m, step, metrics);
        return metrics;
      },
    },
  });
  const log = openMetricsLog(flags.output, flags.resume === true);
  const watch = watchTrainer(trainer, {
    label: `finetune ${task.name}`,
    steps,
    log,
    out,
    quiet: flags.quiet === true,
    split: 'dev',
  });
  let result: Awaited<ReturnType<typeof trainer.train>>;
  try {
    result = await trainer.train({ resume: flags.resume === true });
  } finally {
    watch.stop();
  }
  model.dispose();
  const state = trainer.state;
  const chart = await plotRun(flags.output).catch(() => null);
  const finalBest = best as Best | null;
  const summary: FinetuneSummary = {
    task: task.name,
    output: flags.output,
    backend,
    steps: result.step,
    reason: result.reason,
    trainExamples: train.examples,
    devExamples: dev.examples,
    best: finalBest == null ? null : { ...finalBest, folder: bestFolder },
    last: result.evaluations.at(-1)?.metrics ?? null,
    tokensPerSecond: Math.round(state.tokensSeen / Math.max(1e-9, state.trainSeconds)),
    trainSeconds: seconds(state.trainSeconds * 1000),
    chart: chart == null ? null : { svg: chart.svg, png: chart.png },
    peakRssMiB: peakRssMiB(),
  };
  out.summary(summary, (s) =>
    [
      result.reason === 'stopped'
        ? `stopped at step ${s.steps}. Continue with the same command and --resume.`
        : `fine-tuned ${s.task} for ${s.steps} steps (${s.reason}), ${s.tokensPerSecond} tokens/s over ${s.trainSeconds} s`,
      s.best == null
        ? null
        : `best dev ${s.best.metric} ${s.best.value.toFixed(4)} at step ${s.best.step}: ${s.best.folder}`,
      s.chart == null ? null : `chart: ${s.chart.png}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  if (result.reason === 'stopped') process.exitCode = 130;
  return summary;
}

export function finetuneCli(): Command {
  const command = new Command('finetune')
    .summary('fine-tune a pretrained ALBERT on a task, keeping the best dev checkpoint')
    .description(
      'Fine-tunes a pretrained model folder (a Hugging Face folder, or an albert-train run) on a task, evaluating on ' +
        "the dev set with the task's metric every --eval-every steps (default: once per epoch) and keeping the best " +
        "model in <output>/best/. Data formats are @albert-ts/heads' readers: GLUE TSV files for sst2, mrpc, rte, " +
        'cola, stsb, mnli, qnli, qqp.',
    )
    .addOption(new Option('--task <name>', 'the task').choices([...TASK_NAMES]).makeOptionMandatory())
    .requiredOption('-m, --model <folder>', 'pretrained model folder, or an albert-train pretrain run folder')
    .requiredOption('--train <file>', 'training data')
    .requiredOption('--dev <file>', 'dev data (evaluated during training)')
    .requiredOption('-o, --output <folder>', 'the run folder')
    .option('-t, --tokenizer <path>', 'spiece.model (default: the one in the model folder)')
    .option('--max-seq-length <n>', 'tokens per input', int('--max-seq-length', 8), 128)
    .option('--batch-size <n>', 'examples per batch', int('--batch-size', 1), 32)
    .option('--epochs <n>', 'passes over the training data', int('--epochs', 1), 3)
    .option('--steps <n>', 'optimizer updates (default: --epochs worth)', int('--steps', 1))
    .option(
      '--eval-every <n>',
      'evaluate (and checkpoint) every N updates (default: once per epoch)',
      int('--eval-every', 1),
    )
    .option('--eval-batch-size <n>', 'batch size of the dev evaluation', int('--eval-batch-size', 1), 64)
    .option('--keep-checkpoints <n>', 'resume checkpoints kept', int('--keep-checkpoints', 1), 1)
    .option('--max-train-examples <n>', 'use only the first N training examples', int('--max-train-examples', 1))
    .option('--max-dev-examples <n>', 'use only the first N dev examples', int('--max-dev-examples', 1))
    .option('--doc-stride <n>', 'squad: tokens shared by consecutive windows', int('--doc-stride', 1), 128)
    .option('--max-query-length <n>', 'squad: question tokens kept', int('--max-query-length', 1), 64)
    .option('--seed <n>', 'seed of the new head, the shuffling and dropout', int('--seed'), 42)
    .option(
      '--no-group-by-length',
      'batch examples in random order, not grouped by length (grouping pads less: several times faster on SST-2)',
    )
    .option('--resume', 'continue the run in --output from its newest checkpoint')
    .option('--overwrite', 'start over in an --output that holds a run');
  addOptimizerOptions(command, { optimizer: 'adamw', lr: 3e-5, warmupProportion: 0.1 });
  addBackendOption(command);
  addCommonOptions(command);
  return command
    .addHelpText(
      'after',
      `
Example (SST-2 from a pretrain run; the best dev accuracy's model lands in runs/sst2/best):
  $ albert-train finetune --task sst2 --model runs/pretrain-small --train data/sst2/train.tsv \\
      --dev data/sst2/dev.tsv --output runs/sst2 --epochs 3 --batch-size 32 --lr 3e-5`,
    )
    .action(async (flags: FinetuneFlags, cmd: Command) => {
      await finetuneCommand(flags, explicitOptions(cmd));
    });
}
