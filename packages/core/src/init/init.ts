// Parameter initialisers as Hugging Face's AlbertPreTrainedModel._init_weights: Linear and
// Embedding weights ~ normal(0, initializer_range), biases 0, LayerNorm weight 1 and bias 0, and
// the padding row of the word embeddings 0. Each parameter draws from its own stream, derived from
// the model seed and the parameter name, so adding a parameter never changes the others.
import { SeededRandom } from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';
import type { ParameterSpec } from '../model/parameter-specs.js';

/** Float32 values ~ normal(0, std) from the stream (seed, ...parts) (see @albert-ts/common). */
export function normalValues(size: number, std: number, seed: number, ...parts: string[]): Float32Array {
  const rng = new SeededRandom(seed, ...parts);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal() * std;
  return out;
}

/** A tensor ~ normal(0, std) with a seed (same values on every backend). */
export function initNormal(shape: number[], std: number, seed: number): tf.Tensor {
  return tf.tensor(normalValues(sizeOf(shape), std, seed), shape, 'float32');
}

export type InitKind = 'normal' | 'zeros' | 'ones';

/** A trainable variable for one HF tensor. `paddingRow` zeroes that row (Embedding padding_idx). */
export function initVariable(
  name: string,
  shape: number[],
  kind: InitKind,
  options: { std: number; seed: number; paddingRow?: number | null; variableName?: string },
): tf.Variable {
  const size = sizeOf(shape);
  let values: Float32Array;
  if (kind === 'normal') values = normalValues(size, options.std, options.seed, name);
  else values = new Float32Array(size).fill(kind === 'ones' ? 1 : 0);
  if (options.paddingRow != null && shape.length === 2) {
    const width = shape[1]!;
    values.fill(0, options.paddingRow * width, (options.paddingRow + 1) * width);
  }
  return tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true, options.variableName));
}

/**
 * One variable per spec, keyed by the spec's name and named `${scope}/${name}` in tfjs. A tensor
 * in `initialValues` (memory layout, the spec's shape) becomes the variable's value and is disposed;
 * the other specs are initialised as HF's _init_weights with `std` and `seed`.
 */
export function createVariables(
  specs: readonly ParameterSpec[],
  options: { std: number; seed: number; scope: string; initialValues?: Map<string, tf.Tensor> },
): Map<string, tf.Variable> {
  const params = new Map<string, tf.Variable>();
  for (const spec of specs) {
    const variableName = `${options.scope}/${spec.name}`;
    const given = options.initialValues?.get(spec.name);
    if (given != null) {
      params.set(spec.name, tf.variable(given, true, variableName));
      given.dispose(); // the variable holds its own reference to the data
    } else {
      const { std, seed } = options;
      params.set(
        spec.name,
        initVariable(spec.name, spec.shape, spec.init, { std, seed, paddingRow: spec.paddingRow, variableName }),
      );
    }
  }
  return params;
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
