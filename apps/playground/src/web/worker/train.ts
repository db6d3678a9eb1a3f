// Fine-tuning in the browser: the chosen model's text classifier (a fresh head for the data's labels)
// trained with @albert-ts/training's Trainer (AdamW, linear warmup and decay) on labelled sentences,
// one event per update for the live loss curve; stop() ends it between updates. The trained model
// stays here to try (through a text-classification pipeline) and to download as a Hugging Face folder.
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW,
  AlbertError,
  type AlbertForSequenceClassification,
  AutoModelForSequenceClassification,
  AutoTokenizer,
  arraySource,
  inputsFromEncodings,
  linearScheduleWithWarmup,
  type ModelSource,
  pipeline,
  Trainer,
} from 'albert-ts';
import { ModelLoadError, UsageError } from '../../errors.js';
import type { TrainRequest, TrainStep } from '../protocol.js';
import { filesSource } from './files-source.js';

type Batch = { inputIds: Int32Array[]; labels: number[] };

/** Tokenizer files copied next to the trained weights, so the download is a complete HF folder. */
const TOKENIZER_FILES = ['spiece.model', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

let trainer: Trainer<AlbertForSequenceClassification, Batch> | null = null;
let trained: { files: Map<string, Uint8Array>; labels: string[] } | null = null;

/** Label names in order of first appearance → ids. */
export function labelIds(labels: string[]): string[] {
  return [...new Set(labels)];
}

export interface TrainOutcome {
  steps: number;
  reason: string;
  losses: number[];
  labels: string[];
}

async function sourceFiles(source: ModelSource): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const name of TOKENIZER_FILES) if (await source.has(name)) out.set(name, await source.readFile(name));
  return out;
}

export async function fineTune(
  source: ModelSource,
  request: Omit<TrainRequest, 'examples'> & { examples: { text: string; label: number }[]; labelNames: string[] },
  onStep: (s: TrainStep) => void,
): Promise<TrainOutcome> {
  if (trainer != null) throw new UsageError('a fine-tuning run is already going; stop it first');
  const { examples, labelNames } = request;
  if (examples.length < 2) throw new UsageError('fine-tuning needs at least two labelled sentences');
  if (labelNames.length < 2) throw new UsageError('fine-tuning needs at least two different labels');
  const tokenizer = await AutoTokenizer.fromPretrained(source);
  let model: AlbertForSequenceClassification;
  try {
    model = await AutoModelForSequenceClassification.fromPretrained(source, {
      config: {
        id2label: Object.fromEntries(labelNames.map((l, i) => [String(i), l])),
        label2id: Object.fromEntries(labelNames.map((l, i) => [l, i])),
      },
      ignoreMismatchedSizes: true,
      seed: request.seed,
      warn: () => {},
    });
  } catch (err) {
    if (!(err instanceof AlbertError)) throw err;
    throw new ModelLoadError(`Could not load the model to fine-tune: ${err.message}`, { cause: err });
  }
  const maxLength = Math.min(64, model.config.maxPositionEmbeddings);
  const encoded = examples.map((e) => ({
    ids: tokenizer.encode(e.text, undefined, { maxLength, truncation: true }).inputIds,
    label: e.label,
  }));
  const stepsPerEpoch = Math.ceil(examples.length / request.batchSize);
  const maxSteps = stepsPerEpoch * request.epochs;
  const run = new Trainer<AlbertForSequenceClassification, Batch>({
    model,
    optimizer: new AdamW({ weightDecay: 0.01 }),
    learningRate: linearScheduleWithWarmup({
      peak: request.learningRate,
      warmupSteps: Math.max(1, Math.floor(maxSteps / 10)),
      totalSteps: maxSteps,
    }),
    data: arraySource(encoded, {
      batchSize: request.batchSize,
      seed: request.seed,
      epochs: request.epochs,
      collate: (items) => ({ inputIds: items.map((i) => i.ids), labels: items.map((i) => i.label) }),
    }),
    toInputs: (batch) => {
      const inputs = inputsFromEncodings(batch.inputIds.map((ids) => ({ inputIds: ids })));
      return { ...inputs, labels: tf.tensor1d(batch.labels, 'int32') };
    },
    countTokens: (batch) => batch.inputIds.reduce((s, ids) => s + ids.length, 0),
    maxSteps,
    seed: request.seed,
  });
  trainer = run;
  const losses: number[] = [];
  run.on('step', (e) => {
    losses.push(e.loss);
    onStep({ step: e.step, maxSteps, loss: e.loss, learningRate: e.learningRate });
  });
  try {
    const result = await trainWithBreaks(run);
    const files = new Map(await model.toFiles());
    for (const [name, bytes] of await sourceFiles(source)) files.set(name, bytes);
    trained = { files, labels: labelNames };
    return { steps: result.step, reason: result.reason, losses, labels: labelNames };
  } finally {
    trainer = null;
    model.dispose();
  }
}

/** Runs the trainer while a timer tick lets messages (the stop button) in between updates. */
async function trainWithBreaks(run: Trainer<AlbertForSequenceClassification, Batch>) {
  let ticking = true;
  const tick = async () => {
    while (ticking) await new Promise((resolve) => setTimeout(resolve, 0));
  };
  const ticker = tick();
  try {
    return await run.train();
  } finally {
    ticking = false;
    await ticker;
  }
}

export function stopTraining(): boolean {
  trainer?.stop();
  return trainer != null;
}

/** The trained folder's files (config.json, model.safetensors, the tokenizer's). */
export function trainedFiles(): Map<string, Uint8Array> {
  if (trained == null) throw new UsageError('no fine-tuned model yet: train one first');
  return trained.files;
}

/** Classifies `texts` with the fine-tuned model, through a text-classification pipeline on its files. */
export async function tryTrained(texts: string[]): Promise<unknown> {
  const files = [...trainedFiles()].map(([name, bytes]) => new File([bytes as BlobPart], name));
  const classify = await pipeline(
    'text-classification',
    filesSource('fine-tuned', files, () => {}),
    { warn: () => {} },
  );
  try {
    return await classify(texts, { topK: null });
  } finally {
    classify.dispose();
  }
}
