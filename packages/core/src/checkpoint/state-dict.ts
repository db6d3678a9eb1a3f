// Hugging Face state dicts <-> our variables.
// - Names: HF's, with the base-model prefix ('albert.') stripped or added as HF does when a base
//   model loads a task checkpoint or a task model loads a base checkpoint.
// - Layout: Linear weights are [out, in] on disk and [in, out] in memory (transposed here, once).
// - Buffers HF never stores for a model to load (position_ids, token_type_ids) are ignored.
// - Missing and unexpected keys are reported; what to do about them is the caller's policy.
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '../errors.js';
import type { SafetensorsFile, TensorEntry } from '../safetensors/index.js';

export const BASE_MODEL_PREFIX = 'albert.';

/** Non-persistent buffers that old checkpoints may contain and loaders skip. */
const IGNORED_BUFFERS = /(^|\.)embeddings\.(position_ids|token_type_ids)$/;

/** True for the weight of a Linear layer (stored transposed): rank 2, not an embedding table. */
export function isLinearWeight(name: string, shape: readonly number[]): boolean {
  return shape.length === 2 && name.endsWith('.weight') && !name.endsWith('embeddings.weight');
}

export interface LoadStateDictOptions {
  /** Base-model prefix stripped/added to match the targets (default 'albert.'; '' for none). */
  prefix?: string;
  /** File keys to skip without reporting them (e.g. tied weights such as 'predictions.decoder.weight'). */
  ignore?: (string | RegExp)[];
  /** Decides which targets are Linear weights to transpose (default: `isLinearWeight`). */
  isLinear?: (name: string, shape: readonly number[]) => boolean;
}

export interface StateDictMatch {
  /** Target name -> file entry, for every target the file provides. */
  found: Map<string, TensorEntry>;
  /** Target names the file does not provide. */
  missing: string[];
  /** File keys (as in the file) that no target uses. */
  unexpected: string[];
}

/**
 * Pairs target names with file entries. When no target has the prefix but the file does (a base
 * model reading a task checkpoint), the prefix is stripped and the file's other keys (heads) become
 * unexpected; when targets have it but the file does not, it is added.
 */
export function matchStateDict(
  targetNames: Iterable<string>,
  file: SafetensorsFile,
  options: LoadStateDictOptions = {},
): StateDictMatch {
  const prefix = options.prefix ?? BASE_MODEL_PREFIX;
  const targets = [...targetNames];
  const ignore = options.ignore ?? [];
  const ignored = (key: string) =>
    IGNORED_BUFFERS.test(key) || ignore.some((p) => (typeof p === 'string' ? p === key : p.test(key)));
  const fileKeys = [...file.tensors.keys()].filter((k) => !ignored(k));
  const targetsHavePrefix = prefix !== '' && targets.some((t) => t.startsWith(prefix));
  const fileHasPrefix = prefix !== '' && fileKeys.some((k) => k.startsWith(prefix));
  // file key -> target name
  const rename = (key: string): string => {
    if (prefix === '' || targetsHavePrefix === fileHasPrefix) return key;
    if (fileHasPrefix) return key.startsWith(prefix) ? key.slice(prefix.length) : `\u0000${key}`; // heads: unmatched
    return targets.includes(`${prefix}${key}`) ? `${prefix}${key}` : key;
  };
  const byTarget = new Map<string, TensorEntry>();
  const unexpected: string[] = [];
  const targetSet = new Set(targets);
  for (const key of fileKeys) {
    const name = rename(key);
    if (targetSet.has(name)) byTarget.set(name, file.tensors.get(key)!);
    else unexpected.push(key);
  }
  const missing = targets.filter((t) => !byTarget.has(t));
  return { found: byTarget, missing, unexpected };
}

/** A float32 tensor in the in-memory layout for target `name` (Linear weights transposed to [in, out]). */
export function entryToTensor(
  name: string,
  entry: TensorEntry,
  expectedShape: readonly number[],
  isLinear: (name: string, shape: readonly number[]) => boolean = isLinearWeight,
): tf.Tensor {
  const data = entry.data;
  if (!(data instanceof Float32Array)) {
    throw new CheckpointError(
      `Checkpoint tensor "${entry.name}" has dtype ${entry.dtype}; parameter "${name}" needs F32, F16 or BF16. ` +
        'Re-save the checkpoint with floating-point weights.',
    );
  }
  const linear = isLinear(name, expectedShape);
  const diskShape = linear ? [expectedShape[1]!, expectedShape[0]!] : [...expectedShape];
  if (entry.shape.length !== diskShape.length || entry.shape.some((d, i) => d !== diskShape[i])) {
    throw new CheckpointError(
      `Checkpoint tensor "${entry.name}" has shape [${entry.shape}] but parameter "${name}" needs ` +
        `[${diskShape}]${linear ? ' (Linear weight, [out, in] on disk)' : ''}. The checkpoint was saved ` +
        'for a different config: check config.json against model.safetensors.',
    );
  }
  if (!linear) return tf.tensor(data, diskShape, 'float32');
  return tf.tidy(() => tf.transpose(tf.tensor(data, diskShape, 'float32')));
}

/**
 * Assigns the file's tensors to existing variables (keyed by HF name in our layout). Shape or dtype
 * mismatches throw CheckpointError; missing and unexpected keys are returned, HF-style, for the
 * caller to warn or fail on.
 */
export function loadStateDict(
  targets: Map<string, tf.Variable>,
  file: SafetensorsFile,
  options: LoadStateDictOptions = {},
): { missing: string[]; unexpected: string[] } {
  const { found, missing, unexpected } = matchStateDict(targets.keys(), file, options);
  for (const [name, entry] of found) {
    const variable = targets.get(name)!;
    const value = entryToTensor(name, entry, variable.shape, options.isLinear);
    variable.assign(value);
    value.dispose();
  }
  return { missing, unexpected };
}

/**
 * The HF state dict of `params`: F32 entries named as the map's keys (prefix them for a task
 * model), Linear weights back to [out, in]. Reads the variables synchronously.
 */
export function stateDict(
  params: Map<string, tf.Variable>,
  options: { prefix?: string; isLinear?: (name: string, shape: readonly number[]) => boolean } = {},
): TensorEntry[] {
  const isLinear = options.isLinear ?? isLinearWeight;
  const prefix = options.prefix ?? '';
  const entries: TensorEntry[] = [];
  for (const [name, variable] of params) {
    const linear = isLinear(name, variable.shape);
    let data: Float32Array;
    if (linear) {
      const transposed = tf.transpose(variable); // [out, in]
      data = transposed.dataSync() as Float32Array;
      transposed.dispose();
    } else {
      data = (variable.dataSync() as Float32Array).slice(); // a copy: cpu hands out its own buffer
    }
    const shape = linear ? [variable.shape[1]!, variable.shape[0]!] : [...variable.shape];
    entries.push({ name: `${prefix}${name}`, dtype: 'F32', shape, data });
  }
  return entries;
}
