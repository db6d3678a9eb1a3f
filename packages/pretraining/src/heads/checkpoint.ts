// Reading and writing Hugging Face task-model folders (config.json + model.safetensors) for the
// pretraining heads. Base-model tensors carry the 'albert.' prefix; the tied decoder
// (predictions.decoder.weight / .bias) is not stored, as HF's save_pretrained leaves it out, and
// is ignored when an older checkpoint has it.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AlbertConfig,
  type AlbertModel,
  loadStateDict,
  parseSafetensors,
  type SafetensorsFile,
  stateDict,
  valuesFromFile,
  writeSafetensorsFile,
} from '@albert-ts/core';
import type * as tf from '@tensorflow/tfjs-core';
import { PretrainingError } from '../errors.js';

/** Where a model folder's files come from (the shape of @albert-ts/core's ModelSource). */
export interface ModelFiles {
  readonly description: string;
  readFile(name: string): Promise<Uint8Array>;
  readText(name: string): Promise<string>;
  has(name: string): Promise<boolean>;
}

export interface HeadsFromPretrainedOptions {
  /** Seed for tensors the checkpoint lacks (heads initialised fresh). */
  seed?: number;
  /** Where warnings about missing or unused tensors go. Default console.warn. */
  warn?: (message: string) => void;
}

export function folderFiles(folder: string): ModelFiles {
  return {
    description: folder,
    readFile: async (name) => new Uint8Array(await readFile(join(folder, name))),
    readText: (name) => readFile(join(folder, name), 'utf8'),
    has: async (name) =>
      stat(join(folder, name)).then(
        (s) => s.isFile(),
        () => false,
      ),
  };
}

export interface TaskCheckpoint {
  config: AlbertConfig;
  file: SafetensorsFile;
  description: string;
}

export async function readTaskCheckpoint(source: string | ModelFiles): Promise<TaskCheckpoint> {
  const files = typeof source === 'string' ? folderFiles(source) : source;
  if (!(await files.has('config.json')) || !(await files.has('model.safetensors'))) {
    throw new PretrainingError(
      `${files.description} needs config.json and model.safetensors (a Hugging Face model folder saved with safe_serialization=True). ` +
        'For a hub id or URL, pass a ModelSource from @albert-ts/core instead of a string.',
    );
  }
  const config = AlbertConfig.fromJSONString(await files.readText('config.json'));
  const file = parseSafetensors(await files.readFile('model.safetensors'));
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
  await mkdir(folder, { recursive: true });
  const json = albert.config.with({ architectures: [modelName] }).toJSONString();
  const tmp = join(folder, `config.json.tmp-${process.pid}`);
  await writeFile(tmp, json);
  await rename(tmp, join(folder, 'config.json'));
  const entries = [...stateDict(albert.params, { prefix: 'albert.' }), ...stateDict(head)];
  await writeSafetensorsFile(join(folder, 'model.safetensors'), entries, { format: 'pt' });
}
