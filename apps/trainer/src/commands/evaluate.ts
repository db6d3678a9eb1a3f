// `albert-train evaluate`: a fine-tuned folder + a data set → the task's metrics, and a predictions
// file (SQuAD: the official {id: answer} JSON that evaluate-v1.1.py / evaluate-v2.0.py read).
import { writeFileSync } from 'node:fs';
import { AlbertForPreTraining } from '@albert-ts/pretraining';
import { Command, Option } from 'commander';
import { readFolderTokenizer, requireFile } from '../cli/files.js';
import {
  addBackendOption,
  addCommonOptions,
  type BackendFlags,
  type CommonFlags,
  int,
  startBackend,
} from '../cli/options.js';
import { reporter, seconds } from '../cli/output.js';
import { corpusOptions, EXAMPLE_DEFAULTS } from '../data/corpus-options.js';
import { ConfigMismatchError } from '../errors.js';
import { architectureOf, resolveModelFolder } from '../model/model-folder.js';
import { evaluatePretraining, heldOutBatches } from '../pretrain/mlm-eval.js';
import { TASK_NAMES } from '../tasks/task.js';
import { taskFor } from '../tasks/tasks.js';

export interface EvaluateFlags extends CommonFlags, BackendFlags {
  task: string;
  model: string;
  data: string;
  tokenizer?: string;
  maxSeqLength: number;
  batchSize: number;
  maxExamples?: number;
  docStride: number;
  maxQueryLength: number;
  predictions?: string;
}

export interface EvaluateSummary {
  task: string;
  model: string;
  data: string;
  examples: number;
  metrics: Record<string, number>;
  predictions: string | null;
  backend: string;
  seconds: number;
}

/**
 * The folder of --model, refused unless its config.json names `needed`: the message says what it
 * holds, what --task `task` needs, and `hint(architecture)` after that.
 */
function modelFolderFor(
  flags: EvaluateFlags,
  task: string,
  needed: string,
  hint: (architecture: string | null) => string,
): string {
  const folder = resolveModelFolder(flags.model);
  const architecture = architectureOf(folder);
  if (architecture !== needed) {
    throw new ConfigMismatchError(
      `${folder} holds ${architecture ?? 'a model without architectures'}; --task ${task} needs ${needed}${hint(architecture)}`,
    );
  }
  return folder;
}

export async function evaluateCommand(flags: EvaluateFlags): Promise<EvaluateSummary> {
  if (flags.task === 'mlm') return evaluateMaskedLm(flags);
  const out = reporter(flags);
  const task = taskFor(flags.task);
  const folder = modelFolderFor(flags, task.name, task.architecture, (architecture) =>
    architecture === 'AlbertForPreTraining' || architecture === 'AlbertForMaskedLM' || architecture === 'AlbertModel'
      ? '. Fine-tune it first (albert-train finetune).'
      : '. Evaluate it with the task it was fine-tuned on.',
  );
  const tokenizer = readFolderTokenizer(folder, flags.tokenizer);
  const data = await task.read(
    requireFile(flags.data, 'data file'),
    tokenizer,
    {
      maxSeqLength: flags.maxSeqLength,
      limit: flags.maxExamples,
      docStride: flags.docStride,
      maxQueryLength: flags.maxQueryLength,
      modelFolder: folder,
    },
    'dev',
  );
  const backend = await startBackend(flags);
  const model = await task.load(folder, { seed: 0, warn: (m) => out.info(m) });
  if ((model.loadingInfo?.missingKeys.length ?? 0) > 0) {
    model.dispose();
    throw new ConfigMismatchError(
      `${folder} lacks ${model.loadingInfo?.missingKeys.join(', ')}: it is not a complete ${task.architecture} checkpoint.`,
    );
  }
  const started = performance.now();
  const result = await task.evaluate(model, data, flags.batchSize);
  model.dispose();
  if (flags.predictions != null && result.predictions != null) {
    writeFileSync(flags.predictions, `${JSON.stringify(result.predictions, null, 2)}\n`);
  }
  const summary: EvaluateSummary = {
    task: task.name,
    model: folder,
    data: flags.data,
    examples: data.examples,
    metrics: result.metrics,
    predictions: flags.predictions ?? null,
    backend,
    seconds: seconds(performance.now() - started),
  };
  out.summary(
    summary,
    (s) =>
      `${s.task} on ${s.data} (${s.examples} examples): ` +
      Object.entries(s.metrics)
        .map(([k, v]) => `${k} ${v.toFixed(4)}`)
        .join(', ') +
      (s.predictions == null ? '' : `; predictions in ${s.predictions}`),
  );
  return summary;
}

/**
 * --task mlm: a pretrained AlbertForPreTraining folder on held-out text — masked-LM loss, accuracy
 * and perplexity per masked piece, sentence-order accuracy — over the examples `albert-train
 * pretrain --valid` evaluates with the same seed (12346 = the default --seed + 1) and shape
 * (15% masked, at most 20 per sequence), so its numbers compare with a run's metrics.jsonl.
 */
async function evaluateMaskedLm(flags: EvaluateFlags): Promise<EvaluateSummary> {
  const out = reporter(flags);
  const folder = modelFolderFor(
    flags,
    'mlm',
    'AlbertForPreTraining',
    () => ' (the MLM and sentence-order heads), e.g. a pretraining checkpoint or albert-train export of one.',
  );
  const tokenizer = readFolderTokenizer(folder, flags.tokenizer);
  const shape = { ...EXAMPLE_DEFAULTS, maxSeqLength: flags.maxSeqLength };
  const examples = flags.maxExamples ?? 640;
  const batches = await heldOutBatches(
    corpusOptions(tokenizer, [requireFile(flags.data, 'data file')], shape, {
      batchSize: flags.batchSize,
      seed: EXAMPLE_DEFAULTS.seed + 1,
    }),
    Math.ceil(examples / flags.batchSize),
    flags.data,
  );
  const backend = await startBackend(flags);
  const model = await AlbertForPreTraining.fromPretrained(folder, { seed: 0, warn: (m) => out.info(m) });
  const started = performance.now();
  const metrics = await evaluatePretraining(model, batches);
  model.dispose();
  const summary: EvaluateSummary = {
    task: 'mlm',
    model: folder,
    data: flags.data,
    examples: batches.reduce((a, b) => a + b.batchSize, 0),
    metrics,
    predictions: null,
    backend,
    seconds: seconds(performance.now() - started),
  };
  out.summary(
    summary,
    (s) =>
      `mlm on ${s.data} (${s.examples} sequences, ${metrics.masked_tokens} masked pieces): MLM accuracy ` +
      `${(100 * metrics.mlm_accuracy).toFixed(2)}%, perplexity ${metrics.perplexity.toFixed(1)}, ` +
      `SOP accuracy ${(100 * metrics.sop_accuracy).toFixed(2)}%`,
  );
  return summary;
}

export function evaluateCli(): Command {
  const command = new Command('evaluate')
    .summary("a fine-tuned model + a data set → the task's metrics (and predictions)")
    .description(
      "Runs a fine-tuned model folder (or a finetune run folder: its best/ model) on a labelled data set and reports the task's " +
        'metrics (GLUE: accuracy, F1 for MRPC/QQP, Matthews correlation for CoLA, Pearson/Spearman for STS-B). ' +
        '--predictions writes one prediction per example id as JSON.',
    )
    .addOption(
      new Option('--task <name>', 'the task; mlm: a pretrained model on held-out text (one paragraph per line)')
        .choices([...TASK_NAMES, 'mlm'])
        .makeOptionMandatory(),
    )
    .requiredOption('-m, --model <folder>', 'fine-tuned model folder, or a finetune run folder')
    .requiredOption('-d, --data <file>', "labelled data in the task's format")
    .option('-t, --tokenizer <path>', 'spiece.model (default: the one in the model folder)')
    .option('--predictions <file>', 'write predictions as JSON ({id: prediction})')
    .option('--max-seq-length <n>', 'tokens per input', int('--max-seq-length', 8), 128)
    .option('--batch-size <n>', 'examples per batch', int('--batch-size', 1), 64)
    .option('--max-examples <n>', 'evaluate only the first N examples', int('--max-examples', 1))
    .option('--doc-stride <n>', 'squad: tokens shared by consecutive windows', int('--doc-stride', 1), 128)
    .option('--max-query-length <n>', 'squad: question tokens kept', int('--max-query-length', 1), 64);
  addBackendOption(command);
  addCommonOptions(command);
  return command
    .addHelpText(
      'after',
      `
Example:
  $ albert-train evaluate --task sst2 --model runs/sst2 --data data/sst2/dev.tsv --predictions runs/sst2/dev-predictions.json
  sst2 on data/sst2/dev.tsv (872 examples): accuracy 0.8016, loss 0.4460`,
    )
    .action(async (flags: EvaluateFlags) => {
      await evaluateCommand(flags);
    });
}
