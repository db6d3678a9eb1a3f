// Reading and writing Hugging Face model folders for AlbertModel: config.json + model.safetensors.
// Loading follows HF's rules: the 'albert.' prefix is stripped when the file comes from a task
// model; head tensors (predictions.*, classifier.*, …) are unexpected and reported with a warning;
// a missing pooler is a warning (it is a head HF initialises fresh); any other missing tensor
// (embeddings, encoder) is an error, since the model would be silently random.
import type * as tf from '@tensorflow/tfjs-core';
import { AlbertConfig } from '../config/albert-config.js';
import { CheckpointError } from '../errors.js';
import { type ModelSource, type OpenModelSourceOptions, openModelSource } from '../hub/index.js';
import { albertParameterSpecs } from '../model/parameter-specs.js';
import { type SafetensorsFile, serializeSafetensors, type TensorEntry } from '../safetensors/index.js';
import { nodeFs, nodePath } from '../safetensors/node.js';
import { entryToTensor, matchStateDict } from './state-dict.js';

/** Source options (revision, cacheDir, offline, endpoint, token, fetch, onProgress, …) plus model options. */
export interface FromPretrainedOptions extends OpenModelSourceOptions {
  /** Build the pooler (default true). Without pooler tensors in the file it is initialised fresh. */
  addPoolingLayer?: boolean;
  /** Seed for tensors the checkpoint does not have (the pooler, at most). */
  seed?: number;
  /** Where warnings go (missing heads, unused tensors, a dtype the backend cannot run). Default console.warn. */
  warn?: (message: string) => void;
  /**
   * Storage of the Linear weights for inference: 'fp32' (default), 'q8' or 'bf16' — packed from
   * the checkpoint's fp32 weights at load time (AlbertModelOptions.dtype).
   */
  dtype?: 'fp32' | 'q8' | 'bf16';
}

export interface PretrainedParts {
  config: AlbertConfig;
  initialValues: Map<string, tf.Tensor>;
  missing: string[];
  unexpected: string[];
}

/** A Hugging Face model folder, opened: its config and its weights file. */
export type Checkpoint = {
  config: AlbertConfig;
  file: SafetensorsFile;
  /** Where it came from ("folder /x", "hub org/name@main (cache …)"), for messages. */
  description: string;
};

/** Opens `source` (folder, URL or hub id, or a ModelSource) and reads config.json and model.safetensors. */
export async function openCheckpoint(
  source: string | ModelSource,
  options: OpenModelSourceOptions = {},
): Promise<Checkpoint> {
  const src = typeof source === 'string' ? await openModelSource(source, options) : source;
  const config = AlbertConfig.fromJSONString(await src.readText('config.json'));
  if (!(await src.has('model.safetensors'))) {
    throw new CheckpointError(
      `${src.description} has no model.safetensors. albert-ts reads safetensors only; convert a ` +
        'pytorch_model.bin with transformers: model.save_pretrained(folder, safe_serialization=True).',
    );
  }
  // Read tensor by tensor where the source allows it, so the weights are never held twice.
  const file = await src.readSafetensors('model.safetensors');
  return { config, file, description: src.description };
}

/** Opens `source` (folder, URL or hub id, or a ModelSource) and reads config + weights. */
export async function readPretrained(
  source: string | ModelSource,
  options: FromPretrainedOptions = {},
): Promise<PretrainedParts> {
  const { addPoolingLayer: _pooler, seed: _seed, warn: _warn, ...sourceOptions } = options;
  const { config, file, description } = await openCheckpoint(source, sourceOptions);
  return { config, ...valuesFromFile(config, file, options, description) };
}

/** Tensors for AlbertModel's parameters from a checkpoint, with HF's missing/unexpected policy. */
export function valuesFromFile(
  config: AlbertConfig,
  file: SafetensorsFile,
  options: Pick<FromPretrainedOptions, 'addPoolingLayer' | 'warn'> & {
    /** File keys a task model loads itself (its heads): not reported as unused. */
    ignore?: (string | RegExp)[];
  } = {},
  where = 'the checkpoint',
): Omit<PretrainedParts, 'config'> {
  const warn = options.warn ?? ((m: string) => console.warn(m));
  const specs = albertParameterSpecs(config, { pooler: options.addPoolingLayer ?? true });
  const { found, missing, unexpected } = matchStateDict(
    specs.map((s) => s.name),
    file,
    { prefix: 'albert.', ...(options.ignore != null && { ignore: options.ignore }) },
  );
  const fatal = missing.filter((name) => !name.startsWith('pooler.'));
  if (fatal.length > 0) {
    throw new CheckpointError(
      `${where} is missing ${fatal.length} tensor(s) AlbertModel needs: ${list(fatal)}. ` +
        'Is it an ALBERT checkpoint for this config.json?',
    );
  }
  const initialValues = new Map<string, tf.Tensor>();
  try {
    for (const spec of specs) {
      const entry = found.get(spec.name);
      if (entry != null) initialValues.set(spec.name, entryToTensor(spec.name, entry, spec.shape));
    }
  } catch (err) {
    for (const t of initialValues.values()) t.dispose();
    throw err;
  }
  if (missing.length > 0) {
    warn(
      `Some weights of AlbertModel were not initialized from ${where} and are newly initialized: ${list(missing)}. ` +
        'Train the model on a down-stream task before using it for predictions.',
    );
  }
  if (unexpected.length > 0) {
    warn(
      `Some weights of ${where} were not used when initializing AlbertModel: ${list(unexpected)}. ` +
        'This is expected when the checkpoint holds task heads (e.g. AlbertForPreTraining).',
    );
  }
  return { initialValues, missing, unexpected };
}

/** The files of a Hugging Face model folder, in memory: config.json and model.safetensors. */
export function modelFiles(config: AlbertConfig, entries: TensorEntry[]): Map<string, Uint8Array> {
  return new Map([
    ['config.json', new TextEncoder().encode(config.toJSONString())],
    ['model.safetensors', serializeSafetensors(entries, { format: 'pt' })],
  ]);
}

/** Writes each file into `folder` (created if needed), each atomically (temp file + rename). Node only. */
export async function writeModelFolder(folder: string, files: Map<string, Uint8Array>): Promise<void> {
  const { mkdir, writeFile, rename } = await nodeFs();
  const { join } = await nodePath();
  await mkdir(folder, { recursive: true });
  for (const [name, bytes] of files) {
    const tmp = join(folder, `${name}.tmp-${process.pid}`);
    await writeFile(tmp, bytes);
    await rename(tmp, join(folder, name));
  }
}

/** Writes config.json (architectures ['AlbertModel']) and model.safetensors into `folder`. */
export async function writePretrained(folder: string, config: AlbertConfig, entries: TensorEntry[]): Promise<void> {
  await writeModelFolder(folder, modelFiles(config.with({ architectures: ['AlbertModel'] }), entries));
}

function list(names: string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')} and ${names.length - 8} more`;
}
