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
import { type SafetensorsFile, type TensorEntry, writeSafetensorsFile } from '../safetensors/index.js';
import { entryToTensor, matchStateDict } from './state-dict.js';

/** Source options (revision, cacheDir, offline, endpoint, token, fetch, onProgress, …) plus model options. */
export interface FromPretrainedOptions extends OpenModelSourceOptions {
  /** Build the pooler (default true). Without pooler tensors in the file it is initialised fresh. */
  addPoolingLayer?: boolean;
  /** Seed for tensors the checkpoint does not have (the pooler, at most). */
  seed?: number;
  /** Where warnings go (missing heads, unused tensors). Default console.warn. */
  warn?: (message: string) => void;
}

export interface PretrainedParts {
  config: AlbertConfig;
  initialValues: Map<string, tf.Tensor>;
  missing: string[];
  unexpected: string[];
}

/** Opens `source` (folder, URL or hub id, or a ModelSource) and reads config + weights. */
export async function readPretrained(
  source: string | ModelSource,
  options: FromPretrainedOptions = {},
): Promise<PretrainedParts> {
  const { addPoolingLayer: _pooler, seed: _seed, warn: _warn, ...sourceOptions } = options;
  const src = typeof source === 'string' ? await openModelSource(source, sourceOptions) : source;
  const config = AlbertConfig.fromJSONString(await src.readText('config.json'));
  if (!(await src.has('model.safetensors'))) {
    throw new CheckpointError(
      `${src.description} has no model.safetensors. albert-ts reads safetensors only; convert a ` +
        'pytorch_model.bin with transformers: model.save_pretrained(folder, safe_serialization=True).',
    );
  }
  // Read tensor by tensor where the source allows it, so the weights are never held twice.
  const file = await src.readSafetensors('model.safetensors');
  return { config, ...valuesFromFile(config, file, options, src.description) };
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

/** Writes config.json and model.safetensors into `folder` (created if needed). */
export async function writePretrained(folder: string, config: AlbertConfig, entries: TensorEntry[]): Promise<void> {
  const { mkdir, writeFile, rename } = await import('node:fs/promises');
  const { join } = await import('node:path');
  await mkdir(folder, { recursive: true });
  const json = config.with({ architectures: ['AlbertModel'] }).toJSONString();
  const tmp = join(folder, `config.json.tmp-${process.pid}`);
  await writeFile(tmp, json);
  await rename(tmp, join(folder, 'config.json'));
  await writeSafetensorsFile(join(folder, 'model.safetensors'), entries, { format: 'pt' });
}

function list(names: string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')} and ${names.length - 8} more`;
}
