// `albert-train pretrain`: ALBERT's MLM + SOP pretraining, from a text corpus (streamed) or from
// TFRecord shards, with LAMB and ALBERT's schedule by default, checkpoints, --resume, Ctrl-C that
// checkpoints and exits, a JSONL log and a chart at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertConfig } from '@albert-ts/core';
import { AlbertForPreTraining, batchToTensors, type PretrainingBatch } from '@albert-ts/pretraining';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { NodeCheckpointStorage, Trainer } from '@albert-ts/training';
import { Command } from 'commander';
import { requireFile, spieceModelPath } from '../cli/files.js';
import {
  addBackendOption,
  addCommonOptions,
  type BackendFlags,
  type CommonFlags,
  collect,
  explicitOptions,
  int,
  optionName,
  startBackend,
} from '../cli/options.js';
import { peakRssMiB, reporter, seconds } from '../cli/output.js';
import { addExampleShapeOptions, corpusOptions, type ExampleShape } from '../data/corpus-options.js';
import { ConfigMismatchError, CorpusTooSmallError, UsageError } from '../errors.js';
import {
  addModelShapeOptions,
  dropoutChanges,
  MODEL_SHAPE_FLAGS,
  type ModelShapeFlags,
  resolveModelConfig,
} from '../model/model-config.js';
import { resolveModelFolder } from '../model/model-folder.js';
import { evaluatePretraining, heldOutBatches, type MlmMetrics } from '../pretrain/mlm-eval.js';
import { checkCorpusFillsABatch, textSource } from '../pretrain/text-source.js';
import { tfrecordShape, tfrecordSource } from '../pretrain/tfrecord-source.js';
import { checkpointsFolder, MAY_DIFFER_ON_RESUME, openMetricsLog, startOrResume } from '../run/run-folder.js';
import { addOptimizerOptions, buildOptimizer, type OptimizerFlags } from '../train/optimizer-flags.js';
import { watchTrainer } from '../train/watch-trainer.js';
import { plotRun } from './plot.js';

export interface PretrainFlags extends CommonFlags, BackendFlags, ModelShapeFlags, OptimizerFlags, ExampleShape {
  input?: string[];
  tfrecord?: string[];
  valid?: string;
  tokenizer?: string;
  initFrom?: string;
  output: string;
  batchSize: number;
  steps: number;
  stopAt?: number;
  epochs?: number;
  gradAccum: number;
  checkpointEvery: number;
  keepCheckpoints: number;
  evalEvery?: number;
  evalBatches: number;
  resume?: boolean;
  overwrite?: boolean;
}

export interface PretrainSummary {
  output: string;
  backend: string;
  steps: number;
  reason: string;
  loss: number | null;
  parameters: number;
  tokensSeen: number;
  tokensPerSecond: number;
  trainSeconds: number;
  lastCheckpoint: string | null;
  eval: MlmMetrics | null;
  chart: { svg: string; png: string } | null;
  peakRssMiB: number;
}

export async function pretrainCommand(given: PretrainFlags, explicit: Set<string>): Promise<PretrainSummary> {
  const out = reporter(given);
  const flags = startOrResume(given.output, 'pretrain', given as unknown as Record<string, unknown>, explicit, given, [
    ...MAY_DIFFER_ON_RESUME,
    'stopAt',
  ]) as unknown as PretrainFlags;
  flags.stopAt = given.stopAt; // this invocation's, never a saved one: --resume alone runs to --steps
  if (flags.stopAt != null && flags.stopAt > flags.steps) {
    throw new UsageError(
      `--stop-at ${flags.stopAt} is after the last update (--steps ${flags.steps}); give at most ${flags.steps}.`,
    );
  }
  if ((flags.input == null) === (flags.tfrecord == null)) {
    throw new UsageError('pretrain needs exactly one of --input (text files) or --tfrecord (prepare-data shards).');
  }
  for (const f of [...(flags.input ?? []), ...(flags.tfrecord ?? []), ...(flags.valid == null ? [] : [flags.valid])]) {
    requireFile(f, 'input file');
  }
  // Continued pretraining: the weights, shape and (by default) the tokenizer of a pretrained model.
  const initFolder = flags.initFrom == null ? null : resolveModelFolder(flags.initFrom);
  if (initFolder != null) {
    const shapeFlags = MODEL_SHAPE_FLAGS.filter((f) => explicit.has(f));
    if (shapeFlags.length > 0) {
      throw new UsageError(
        `--init-from takes the model's shape from ${join(initFolder, 'config.json')}; drop ${shapeFlags.map(optionName).join(', ')} (--dropout may stay).`,
      );
    }
  }
  const tokenizerPath = flags.tokenizer ?? initFolder;
  if (tokenizerPath == null) {
    throw new UsageError(
      'pretrain needs --tokenizer (a spiece.model or a folder holding one), or --init-from a model folder holding its spiece.model.',
    );
  }
  const spiece = new Uint8Array(readFileSync(spieceModelPath(tokenizerPath)));
  const tokenizer = AlbertTokenizer.fromBytes(spiece);

  // The data: shards fix the example shape; text gets it from the flags.
  const shape: ExampleShape = { ...flags };
  let data: ReturnType<typeof textSource> | ReturnType<typeof tfrecordSource>;
  const epochs = flags.epochs ?? Number.MAX_SAFE_INTEGER; // --steps ends the run
  if (flags.tfrecord != null) {
    const shapes = await Promise.all(flags.tfrecord.map(tfrecordShape));
    const first = shapes[0] as (typeof shapes)[0];
    for (const [i, s] of shapes.entries()) {
      if (s.maxSeqLength !== first.maxSeqLength) {
        throw new ConfigMismatchError(
          `${flags.tfrecord[i]} has ${s.maxSeqLength}-token examples but ${flags.tfrecord[0]} has ${first.maxSeqLength}; use shards of one prepare-data run.`,
        );
      }
    }
    if (explicit.has('maxSeqLength') && flags.maxSeqLength !== first.maxSeqLength) {
      throw new ConfigMismatchError(
        `--max-seq-length ${flags.maxSeqLength} does not match the shards, whose examples are ${first.maxSeqLength} tokens long.`,
      );
    }
    shape.maxSeqLength = first.maxSeqLength;
    const records = shapes.reduce((a, s) => a + s.records, 0);
    if (records < flags.batchSize) {
      throw new CorpusTooSmallError(
        `the shards hold ${records} examples; a batch needs ${flags.batchSize}. Lower --batch-size.`,
      );
    }
    data = tfrecordSource({
      files: flags.tfrecord,
      batchSize: flags.batchSize,
      seqLength: shape.maxSeqLength,
      seed: flags.seed,
      epochs,
      padId: tokenizer.padId,
    });
  } else {
    const options = corpusOptions(tokenizer, flags.input ?? [], shape, { batchSize: flags.batchSize, epochs });
    await checkCorpusFillsABatch(options, 'the training corpus');
    data = textSource(options);
  }

  // Held-out batches: the same examples at every evaluation (static masks, no shuffling).
  const evalBatches =
    flags.valid == null
      ? []
      : await heldOutBatches(
          corpusOptions(tokenizer, [flags.valid], shape, { batchSize: flags.batchSize, seed: flags.seed + 1 }),
          flags.evalBatches,
          `--valid ${flags.valid}`,
        );

  const backend = await startBackend(flags);
  out.info(`backend: ${backend}`);
  const model =
    initFolder == null
      ? new AlbertForPreTraining(resolveModelConfig(flags, tokenizer.vocabSize, shape.maxSeqLength), {
          seed: flags.seed,
        })
      : await initialModel(initFolder, flags, tokenizer.vocabSize, shape.maxSeqLength, (m) => out.info(m));
  const config = model.config;
  if (initFolder != null) out.info(`weights: ${initFolder} (continued pretraining)`);
  const parameters = model.trainableVariables.reduce((a, v) => a + v.size, 0);
  out.info(
    `model: ${parameters.toLocaleString('en')} parameters (H${config.hiddenSize} E${config.embeddingSize} L${config.numHiddenLayers} ` +
      `groups ${config.numHiddenGroups} heads ${config.numAttentionHeads} FFN ${config.intermediateSize} vocab ${config.vocabSize})`,
  );
  const { optimizer, schedule } = buildOptimizer(flags, flags.steps);
  const trainer = new Trainer({
    model,
    optimizer,
    learningRate: schedule,
    data,
    toInputs: (batch: PretrainingBatch) => batchToTensors(batch),
    forwardOptions: { mlmPositions: 'masked' },
    maxSteps: flags.stopAt ?? flags.steps,
    gradientAccumulationSteps: flags.gradAccum,
    maxGradNorm: flags.maxGradNorm > 0 ? flags.maxGradNorm : null,
    seed: flags.seed,
    logEvery: 10,
    checkpoints: {
      storage: new NodeCheckpointStorage(checkpointsFolder(flags.output)),
      every: flags.checkpointEvery,
      keep: flags.keepCheckpoints,
      files: { 'spiece.model': spiece },
      architecture: 'AlbertForPreTraining',
      overwrite: flags.overwrite === true,
    },
    ...(evalBatches.length > 0 && {
      evaluation: {
        every: flags.evalEvery ?? flags.checkpointEvery,
        evaluate: (m: AlbertForPreTraining) => evaluatePretraining(m, evalBatches),
      },
    }),
  });
  const log = openMetricsLog(flags.output, flags.resume === true);
  const watch = watchTrainer(trainer, {
    label: 'pretrain',
    steps: flags.steps,
    log,
    out,
    quiet: flags.quiet === true,
    split: 'valid',
  });
  let result: Awaited<ReturnType<typeof trainer.train>>;
  try {
    result = await trainer.train({ resume: flags.resume === true });
  } finally {
    watch.stop();
  }
  const state = trainer.state;
  const finalEval =
    result.reason !== 'stopped' && evalBatches.length > 0
      ? ((result.evaluations.at(-1)?.metrics as MlmMetrics | undefined) ??
        (await evaluatePretraining(model, evalBatches)))
      : null;
  model.dispose();
  const chart = await plotRun(flags.output).catch(() => null);
  const summary: PretrainSummary = {
    output: flags.output,
    backend,
    steps: result.step,
    reason: result.reason,
    loss: result.loss,
    parameters,
    tokensSeen: state.tokensSeen,
    tokensPerSecond: Math.round(state.tokensSeen / Math.max(1e-9, state.trainSeconds)),
    trainSeconds: seconds(state.trainSeconds * 1000),
    lastCheckpoint: result.lastCheckpoint == null ? null : join(checkpointsFolder(flags.output), result.lastCheckpoint),
    eval: finalEval,
    chart: chart == null ? null : { svg: chart.svg, png: chart.png },
    peakRssMiB: peakRssMiB(),
  };
  out.summary(summary, (s) =>
    [
      result.reason === 'stopped'
        ? `stopped at step ${s.steps}; checkpoint ${s.lastCheckpoint}. Continue with the same command and --resume.`
        : `pretrained ${s.steps} steps (${s.reason}), last loss ${s.loss?.toFixed(4)}, ${s.tokensPerSecond} tokens/s over ${s.trainSeconds} s`,
      s.eval == null
        ? null
        : `valid: MLM accuracy ${s.eval.mlm_accuracy.toFixed(4)}, perplexity ${s.eval.perplexity.toFixed(2)}, SOP accuracy ${s.eval.sop_accuracy.toFixed(4)}`,
      s.chart == null ? null : `chart: ${s.chart.png}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  if (result.reason === 'stopped') process.exitCode = 130;
  return summary;
}

/** The model of --init-from: its weights and config (a missing SOP or MLM head starts fresh, reported). */
async function initialModel(
  folder: string,
  flags: PretrainFlags,
  vocabSize: number,
  maxSeqLength: number,
  info: (message: string) => void,
): Promise<AlbertForPreTraining> {
  const config = AlbertConfig.fromJSONString(readFileSync(join(folder, 'config.json'), 'utf8'));
  if (config.vocabSize !== vocabSize) {
    throw new ConfigMismatchError(
      `${folder} has vocab_size ${config.vocabSize} but the tokenizer has ${vocabSize} pieces; continue with the model's own spiece.model (leave out --tokenizer).`,
    );
  }
  if (maxSeqLength > config.maxPositionEmbeddings) {
    throw new UsageError(
      `--max-seq-length ${maxSeqLength} exceeds ${folder}'s max_position_embeddings ${config.maxPositionEmbeddings}.`,
    );
  }
  return AlbertForPreTraining.fromPretrained(folder, {
    seed: flags.seed,
    config: dropoutChanges(flags.dropout),
    warn: info,
    info,
  });
}

export function pretrainCli(): Command {
  const command = new Command('pretrain')
    .summary('pretrain ALBERT (masked LM + sentence order) from text or TFRecord shards')
    .description(
      "ALBERT's pretraining: masked LM with n-gram whole-word masking plus sentence-order prediction, from a text " +
        'corpus streamed line by line (one sentence or paragraph per line, a blank line between documents; never ' +
        "loaded whole) or from prepare-data / create_pretraining_data.py TFRecord shards. LAMB with ALBERT's " +
        'schedule by default. Writes <output>/checkpoints/checkpoint-<step>/ (Hugging Face folders that also hold ' +
        'the resume state), metrics.jsonl and chart.svg/png. Ctrl-C writes a checkpoint and exits; --resume continues ' +
        'exactly where the run stopped.',
    )
    .option('-i, --input <files>', 'training text file(s); repeat or comma-separate', collect)
    .option('--tfrecord <files>', 'TFRecord shards instead of text; repeat or comma-separate', collect)
    .option(
      '-t, --tokenizer <path>',
      "spiece.model, or a folder holding one (its size is the vocabulary size); default with --init-from: the model's",
    )
    .option(
      '--init-from <model>',
      "continue pretraining a model: a Hugging Face folder (AlbertForPreTraining, AlbertForMaskedLM or AlbertModel weights) or an albert-train run folder; its config.json sets the model's shape",
    )
    .requiredOption('-o, --output <folder>', 'the run folder')
    .option('--valid <file>', 'held-out text: MLM accuracy, perplexity and SOP accuracy at each evaluation')
    .option('--steps <n>', 'optimizer updates', int('--steps', 1), 10000)
    .option(
      '--stop-at <n>',
      'stop after update N with a checkpoint, on the learning-rate schedule of --steps (continue with --resume)',
      int('--stop-at', 1),
    )
    .option('--batch-size <n>', 'examples per micro-batch', int('--batch-size', 1), 32)
    .option('--grad-accum <n>', 'micro-batches per update', int('--grad-accum', 1), 1)
    .option('--epochs <n>', 'stop after this many passes over the data (default: --steps decides)', int('--epochs', 1))
    .option('--checkpoint-every <n>', 'write a checkpoint every N updates', int('--checkpoint-every', 1), 1000)
    .option('--keep-checkpoints <n>', 'keep the newest N checkpoints', int('--keep-checkpoints', 1), 3)
    .option(
      '--eval-every <n>',
      'evaluate on --valid every N updates (default: --checkpoint-every)',
      int('--eval-every', 1),
    )
    .option('--eval-batches <n>', 'batches of --valid per evaluation', int('--eval-batches', 1), 20)
    .option('--resume', 'continue the run in --output from its newest checkpoint')
    .option('--overwrite', 'start over in an --output that holds a run');
  addExampleShapeOptions(command, 128);
  addModelShapeOptions(command);
  addOptimizerOptions(command, { optimizer: 'lamb', lr: 0.00176, warmupProportion: 0.025 });
  addBackendOption(command);
  addCommonOptions(command);
  command
    .addHelpText(
      'after',
      `
Example (a small ALBERT on 34 MB of Project Gutenberg, evaluated on held-out books):
  $ albert-train pretrain --input data/gutenberg_en/train.txt --valid data/gutenberg_en/valid.txt \\
      --tokenizer runs/tok16k --output runs/pretrain-small --hidden-size 256 --num-layers 6 --num-heads 4 \\
      --embedding-size 128 --max-seq-length 128 --batch-size 32 --steps 3000 --lr 0.00176 --checkpoint-every 250
  (Ctrl-C writes a checkpoint; add --resume to the same command to continue.)

Example (continued pretraining of the default model on your own text, its shape and tokenizer kept):
  $ albert-train pretrain --init-from models/albert-gutenberg-small --input my-corpus.txt \\
      --output runs/my-domain --optimizer adamw --lr 5e-4 --steps 2000 --checkpoint-every 200`,
    )
    .action(async (flags: PretrainFlags, cmd: Command) => {
      await pretrainCommand(flags, explicitOptions(cmd));
    });
  return command;
}
