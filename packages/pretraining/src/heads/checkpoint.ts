// Reading and writing Hugging Face task-model folders (config.json + model.safetensors) for the
// pretraining heads. Base-model tensors carry the 'albert.' prefix; the tied decoder
// (predictions.decoder.weight / .bias) is not stored, as HF's save_pretrained leaves it out, and
// is ignored when an older checkpoint has it.
import {
  AlbertConfig,
  type AlbertModel,
  loadStateDict,
  type ModelSource,
  type OpenModelSourceOptions,
  openModelSource,
  type SafetensorsFile,
  stateDict,
  valuesFromFile,
  writeSafetensorsFile,
} from '@albert-ts/core';
import type * as tf from '@tensorflow/tfjs-core';
import { PretrainingError } from '../errors.js';
import { nodeFs, nodePath } from '../node-builtins.js';

export interface HeadsFromPretrainedOptions extends OpenModelSourceOptions {
  /** Seed for tensors the checkpoint lacks (heads initialised fresh). */
  seed?: number;
  /** Where warnings about missing or unused tensors go. Default console.warn. */
  warn?: (message: string) => void;
}

export interface TaskCheckpoint {
  config: AlbertConfig;
  file: SafetensorsFile;
  description: string;
}

/** Opens a folder, base URL or hub id (through @albert-ts/core's openModelSource) or a ModelSource. */
export async function readTaskCheckpoint(
  source: string | ModelSource,
  options: OpenModelSourceOptions = {},
): Promise<TaskCheckpoint> {
  const files = typeof source === 'string' ? await openModelSource(source, options) : source;
  if (!(await files.has('model.safetensors'))) {
    throw new PretrainingError(
      `${files.description} has no model.safetensors. albert-ts reads safetensors only; convert a ` +
        'pytorch_model.bin with transformers: model.save_pretrained(folder, safe_serialization=True).',
    );
  }
  const config = AlbertConfig.fromJSONString(await files.readText('config.json'));
  const file = await files.readSafetensors('model.safetensors');
  return { config, file, description: files.description };
}

/** Initial values of the base model's variables from a task checkpoint ('albert.' prefix). */
export function baseValues(
  ckpt: TaskCheckpoint,
  addPoolingLayer: boolean,
): { initialValues: Map<string, tf.Tensor>; missing: string[] } {
  const { initialValues, missing } = valuesFromFile(
    ckpt.config,
    ckpt.file,
    { addPoolingLayer, warn: () => {} },
    ckpt.description,
  );
  return { initialValues, missing };
}

const TIED = [/^predictions\.decoder\.(weight|bias)$/];

/** Loads head variables (no prefix) and reports HF-style what was missing or unused overall. */
export function loadHeads(
  head: Map<string, tf.Variable>,
  ckpt: TaskCheckpoint,
  baseMissing: string[],
  modelName: string,
  warn: (message: string) => void,
): void {
  const { missing } = loadStateDict(head, ckpt.file, { prefix: '', ignore: [/^albert\./, ...TIED] });
  const known = new Set([...head.keys()]);
  const unexpected = [...ckpt.file.tensors.keys()].filter(
    (k) => !k.startsWith('albert.') && !known.has(k) && !TIED.some((r) => r.test(k)),
  );
  const allMissing = [...baseMissing.map((n) => `albert.${n}`), ...missing];
  if (allMissing.length > 0) {
    warn(
      `Some weights of ${modelName} were not initialized from ${ckpt.description} and are newly initialized: ${allMissing.join(', ')}.`,
    );
  }
  if (unexpected.length > 0) {
    warn(`Some weights of ${ckpt.description} were not used when initializing ${modelName}: ${unexpected.join(', ')}.`);
  }
}

/** Writes config.json (architectures = [modelName]) and model.safetensors ('albert.' + heads). */
export async function writeTaskCheckpoint(
  folder: string,
  modelName: string,
  albert: AlbertModel,
  head: Map<string, tf.Variable>,
): Promise<void> {
  const { mkdir, rename, writeFile } = await nodeFs();
  const { join } = await nodePath();
  await mkdir(folder, { recursive: true });
  const json = albert.config.with({ architectures: [modelName] }).toJSONString();
  const tmp = join(folder, `config.json.tmp-${process.pid}`);
  await writeFile(tmp, json);
  await rename(tmp, join(folder, 'config.json'));
  const entries = [...stateDict(albert.params, { prefix: 'albert.' }), ...stateDict(head)];
  await writeSafetensorsFile(join(folder, 'model.safetensors'), entries, { format: 'pt' });
}
