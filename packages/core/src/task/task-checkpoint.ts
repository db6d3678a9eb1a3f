// Task-model checkpoints as Hugging Face reads and writes them: the encoder's tensors under
// 'albert.', the head's under its own names, tied tensors (e.g. predictions.decoder.*) not stored.
// Loading splits a file into the encoder's values (core's valuesFromFile: an encoder tensor other
// than the pooler missing is a CheckpointError) and the head's, and lists what was missing (to
// initialise fresh) and what was not used, in HF's wording.
import type * as tf from '@tensorflow/tfjs-core';
import { type Checkpoint, valuesFromFile } from '../checkpoint/pretrained.js';
import { BASE_MODEL_PREFIX, entryToTensor, isLinearWeight, matchStateDict } from '../checkpoint/state-dict.js';
import type { AlbertConfig } from '../config/albert-config.js';
import type { ParameterSpec } from '../model/parameter-specs.js';

/** What a task model is made of, declared once per class (`static readonly spec`). */
export type TaskModelSpec = {
  /** Hugging Face class name, written to config.json `architectures` ('AlbertForSequenceClassification'). */
  architecture: string;
  /** Whether the encoder has its pooler (HF's add_pooling_layer). */
  pooler: boolean;
  /** The head's parameters by HF name, in memory layout (Linear weights [in, out]). */
  headSpecs(config: AlbertConfig): ParameterSpec[];
  /** File keys that alias other parameters (HF's _tied_weights_keys): never saved, ignored on load. */
  tiedKeys?: readonly string[];
};

/** What a load found, as HF's output_loading_info: full HF names. */
export type LoadingInfo = {
  /** Parameters the checkpoint lacked, initialised fresh. */
  missingKeys: string[];
  /** File keys the model did not use. */
  unexpectedKeys: string[];
  /** Head tensors whose shape differs from the model's (skipped and initialised fresh with ignoreMismatchedSizes). */
  mismatchedKeys: { key: string; checkpointShape: number[]; modelShape: number[] }[];
};

/**
 * Initial values for every parameter the file provides, keyed by full HF name in memory layout
 * (the caller owns them), and the loading info.
 */
export function taskValuesFromFile(
  spec: TaskModelSpec,
  ckpt: Checkpoint,
  options: { ignoreMismatchedSizes?: boolean } = {},
): { initialValues: Map<string, tf.Tensor>; info: LoadingInfo } {
  const { config, file, description } = ckpt;
  const heads = spec.headSpecs(config);
  const tied = [...(spec.tiedKeys ?? [])];
  const base = valuesFromFile(
    config,
    file,
    { addPoolingLayer: spec.pooler, warn: () => {}, ignore: [...heads.map((s) => s.name), ...tied] },
    description,
  );
  const initialValues = new Map<string, tf.Tensor>();
  for (const [name, t] of base.initialValues) initialValues.set(`${BASE_MODEL_PREFIX}${name}`, t);
  const head = matchStateDict(
    heads.map((s) => s.name),
    file,
    { prefix: '', ignore: [/^albert\./, ...tied] },
  );
  const mismatchedKeys: LoadingInfo['mismatchedKeys'] = [];
  try {
    for (const s of heads) {
      const entry = head.found.get(s.name);
      if (entry == null) continue;
      const diskShape = isLinearWeight(s.name, s.shape) ? [s.shape[1]!, s.shape[0]!] : s.shape;
      if (options.ignoreMismatchedSizes && entry.shape.join() !== diskShape.join()) {
        mismatchedKeys.push({ key: s.name, checkpointShape: [...entry.shape], modelShape: diskShape });
        continue;
      }
      initialValues.set(s.name, entryToTensor(s.name, entry, s.shape));
    }
  } catch (err) {
    for (const t of initialValues.values()) t.dispose();
    throw err;
  }
  const info = {
    missingKeys: [...base.missing.map((n) => `${BASE_MODEL_PREFIX}${n}`), ...head.missing],
    unexpectedKeys: base.unexpected,
    mismatchedKeys,
  };
  return { initialValues, info };
}

/**
 * HF's messages after a load (modeling_utils): unused tensors are a warning when the checkpoint was
 * saved by this very class (something is wrong) and information otherwise (a base or other-task
 * checkpoint: expected); missing ones are always a warning.
 */
export function reportLoading(
  architecture: string,
  ckpt: Checkpoint,
  info: LoadingInfo,
  sinks: { warn: (message: string) => void; info: (message: string) => void },
): void {
  const at = `the model checkpoint at ${ckpt.description}`;
  if (info.unexpectedKeys.length > 0) {
    const sameClass = ckpt.config.architectures?.includes(architecture) ?? false;
    (sameClass ? sinks.warn : sinks.info)(
      `Some weights of ${at} were not used when initializing ${architecture}: ${pyList(info.unexpectedKeys)}\n` +
        `- This IS expected if you are initializing ${architecture} from the checkpoint of a model trained on ` +
        'another task or with another architecture (e.g. initializing an AlbertForSequenceClassification model ' +
        'from an AlbertForPreTraining model).\n' +
        `- This IS NOT expected if you are initializing ${architecture} from the checkpoint of a model that you ` +
        'expect to be exactly identical (initializing an AlbertForSequenceClassification model from an ' +
        'AlbertForSequenceClassification model).',
    );
  }
  const train =
    'You should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.';
  if (info.missingKeys.length > 0) {
    sinks.warn(
      `Some weights of ${architecture} were not initialized from ${at} and are newly initialized: ` +
        `${pyList(info.missingKeys)}\n${train}`,
    );
  }
  if (info.mismatchedKeys.length > 0) {
    const lines = info.mismatchedKeys.map(
      (m) =>
        `- ${m.key}: found shape [${m.checkpointShape}] in the checkpoint and [${m.modelShape}] in the model instantiated`,
    );
    sinks.warn(
      `Some weights of ${architecture} were not initialized from ${at} and are newly initialized because the shapes ` +
        `did not match:\n${lines.join('\n')}\n${train}`,
    );
  }
}

function pyList(names: string[]): string {
  return `[${names.map((n) => `'${n}'`).join(', ')}]`;
}
