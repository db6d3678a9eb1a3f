// The files of a Trainer checkpoint. The folder is a Hugging Face model folder —
//   config.json, model.safetensors            (model.from_pretrained(folder) loads it)
//   spiece.model, tokenizer files …           (when the Trainer was given them)
// plus the state a resume needs:
//   optimizer.safetensors   the optimizer's tensors by `<param>/<slot>`; metadata: step, config
//   trainer_state.json      step, counters, evaluations, early-stopping state (TrainerState)
//   rng_state.json          the seed and the next step (all dropout seeds derive from them)
//   data_state.json         the data source's position (null when it has none)
import {
  parseSafetensors,
  type SafetensorsFile,
  serializeSafetensors,
  stateDict,
  type TensorEntry,
} from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingCheckpointError } from '../errors.js';
import type { OptimizerState } from '../optim/optimizer.js';
import type { ModelConfig } from '../trainer/model.js';
import type { RngState, TrainerState } from '../trainer/trainer-state.js';
import type { CheckpointStorage } from './storage.js';

export const MODEL_FILE = 'model.safetensors';
export const CONFIG_FILE = 'config.json';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const TRAINER_STATE_FILE = 'trainer_state.json';
export const RNG_STATE_FILE = 'rng_state.json';
export const DATA_STATE_FILE = 'data_state.json';

const OPTIMIZER_FORMAT = 'albert-ts-optimizer';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A JSON file's bytes (2-space indented, newline at the end). */
export function jsonFile(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value, null, 2)}\n`);
}

/** config.json (architectures set) and model.safetensors (HF names and layout, as save_pretrained). */
export function modelFilesFromParameters(
  params: Map<string, tf.Variable>,
  config: ModelConfig,
  architecture: string,
): Map<string, Uint8Array> {
  const json =
    config.with != null ? config.with({ architectures: [architecture] }).toJSONString() : config.toJSONString();
  return new Map([
    [CONFIG_FILE, encoder.encode(json)],
    [MODEL_FILE, serializeSafetensors(stateDict(params), { format: 'pt' })],
  ]);
}

/** optimizer.safetensors: every state tensor, with the step and config in the metadata. */
export function optimizerFile(state: OptimizerState): Uint8Array {
  const entries: TensorEntry[] = [];
  for (const [name, t] of state.tensors) {
    if (t.dtype !== 'float32' && t.dtype !== 'int32') {
      throw new TrainingCheckpointError(
        `Optimizer state tensor "${name}" has dtype ${t.dtype}; only float32 and int32 can be saved.`,
      );
    }
    const data = t.dataSync();
    entries.push({
      name,
      dtype: t.dtype === 'float32' ? 'F32' : 'I32',
      shape: [...t.shape],
      data: t.dtype === 'float32' ? Float32Array.from(data) : Int32Array.from(data),
    });
  }
  return serializeSafetensors(entries, {
    format: OPTIMIZER_FORMAT,
    version: '1',
    step: String(state.step),
    config: JSON.stringify(state.config),
  });
}

/** A checkpoint read back and validated, without creating tensors. */
export type StoredCheckpoint = {
  name: string;
  files: string[];
  config: Record<string, unknown>;
  model: SafetensorsFile;
  optimizer: { step: number; config: Record<string, unknown>; tensors: Map<string, TensorEntry> };
  trainerState: TrainerState;
  rngState: RngState;
  dataState: unknown;
};

/** Reads every file of a Trainer checkpoint and checks it; TrainingCheckpointError names what is wrong. */
export async function readCheckpoint(storage: CheckpointStorage, name: string): Promise<StoredCheckpoint> {
  const files = await storage.files(name);
  const where = `checkpoint ${name} in ${storage.description}`;
  const required = [CONFIG_FILE, MODEL_FILE, OPTIMIZER_FILE, TRAINER_STATE_FILE, RNG_STATE_FILE, DATA_STATE_FILE];
  const absent = required.filter((f) => !files.includes(f));
  if (absent.length > 0) {
    throw new TrainingCheckpointError(`${where} lacks ${absent.join(', ')}; it was not written by the Trainer.`);
  }
  const json = async (file: string): Promise<unknown> => {
    try {
      return JSON.parse(decoder.decode(await storage.read(name, file)));
    } catch (err) {
      if (err instanceof TrainingCheckpointError) throw err;
      throw new TrainingCheckpointError(`${file} of ${where} is not valid JSON: ${(err as Error).message}.`, {
        cause: err,
      });
    }
  };
  const safetensors = async (file: string): Promise<SafetensorsFile> => {
    try {
      return parseSafetensors(await storage.read(name, file));
    } catch (err) {
      if (err instanceof TrainingCheckpointError) throw err;
      throw new TrainingCheckpointError(`${file} of ${where} is corrupt: ${(err as Error).message}`, { cause: err });
    }
  };
  const trainerState = (await json(TRAINER_STATE_FILE)) as TrainerState;
  if (trainerState?.format !== 'albert-ts-trainer-state' || trainerState.version !== 1) {
    throw new TrainingCheckpointError(
      `${TRAINER_STATE_FILE} of ${where} is not an albert-ts trainer state (version 1).`,
    );
  }
  const rngState = (await json(RNG_STATE_FILE)) as RngState;
  if (rngState?.format !== 'albert-ts-rng-state' || rngState.nextStep !== trainerState.globalStep) {
    throw new TrainingCheckpointError(`${RNG_STATE_FILE} of ${where} does not belong to its ${TRAINER_STATE_FILE}.`);
  }
  const optimizerFile = await safetensors(OPTIMIZER_FILE);
  const meta = optimizerFile.metadata;
  const notOptimizerState = () =>
    new TrainingCheckpointError(
      `${OPTIMIZER_FILE} of ${where} is not an albert-ts optimizer state (metadata format "${meta.format}", version "${meta.version}").`,
    );
  if (meta.format !== OPTIMIZER_FORMAT || meta.version !== '1') throw notOptimizerState();
  let optimizerConfig: Record<string, unknown>;
  try {
    optimizerConfig = JSON.parse(meta.config ?? '') as Record<string, unknown>;
  } catch (err) {
    throw new TrainingCheckpointError(
      `${OPTIMIZER_FILE} of ${where} is not an albert-ts optimizer state (its metadata "config" is not JSON).`,
      { cause: err },
    );
  }
  const step = Number(meta.step);
  if (!(Number.isInteger(step) && step >= 0)) {
    throw new TrainingCheckpointError(
      `${OPTIMIZER_FILE} of ${where} has no valid step in its metadata ("${meta.step}").`,
    );
  }
  return {
    name,
    files,
    config: (await json(CONFIG_FILE)) as Record<string, unknown>,
    model: await safetensors(MODEL_FILE),
    optimizer: { step, config: optimizerConfig, tensors: optimizerFile.tensors },
    trainerState,
    rngState,
    dataState: await json(DATA_STATE_FILE),
  };
}

/** The optimizer state of a stored checkpoint as tensors (the caller disposes them). */
export function optimizerStateTensors(stored: StoredCheckpoint['optimizer']): OptimizerState {
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, entry] of stored.tensors) {
    if (entry.dtype !== 'F32' && entry.dtype !== 'I32') {
      for (const t of tensors.values()) t.dispose();
      throw new TrainingCheckpointError(
        `Optimizer state tensor "${name}" has dtype ${entry.dtype}; expected F32 or I32.`,
      );
    }
    tensors.set(
      name,
      tf.tensor(entry.data as Float32Array | Int32Array, entry.shape, entry.dtype === 'F32' ? 'float32' : 'int32'),
    );
  }
  return { step: stored.step, config: stored.config, tensors };
}
