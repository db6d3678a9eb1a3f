// The Hugging Face golden cases in test/fixtures/hf-albert (copied from the project's shared
// reference fixtures; see the README there), the float64 references of scripts/loss-references.py,
// and the comparison the tolerances in meta.json are meant for: |ours - ref| <= atol + rtol*|ref|.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLinearWeight, parseSafetensors, type SafetensorsFile } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

export const FIXTURES = fileURLToPath(new URL('../fixtures/hf-albert/', import.meta.url));

export type Tolerance = { atol: number; rtol: number };
export type ToleranceKind = 'logits' | 'loss' | 'grads' | 'hidden';

export type GoldenCase = {
  name: string;
  dir: string;
  tolerances: Record<ToleranceKind, Tolerance>;
  io: SafetensorsFile;
  grads: SafetensorsFile | null;
};

/** The README's gradient tolerance, for the cases whose meta.json lists none (they ship no gradients). */
const GRADS_TOLERANCE: Tolerance = { atol: 1e-4, rtol: 1e-3 };

export function loadCase(name: string): GoldenCase {
  const dir = join(FIXTURES, name);
  const read = (file: string) => parseSafetensors(new Uint8Array(readFileSync(join(dir, file))));
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  return {
    name,
    dir,
    tolerances: { grads: GRADS_TOLERANCE, ...meta.tolerances },
    io: read('io.safetensors'),
    grads: meta.grads_file ? read('grads.safetensors') : null,
  };
}

/** An io tensor as a tf tensor (I32 → int32, F32 → float32), in its stored shape. */
export function ioTensor(c: GoldenCase, key: string): tf.Tensor {
  const e = c.io.tensors.get(key);
  if (e == null) throw new Error(`${c.name}/io.safetensors has no ${key}`);
  return tf.tensor(e.data as Float32Array | Int32Array, e.shape, e.dtype === 'I32' ? 'int32' : 'float32');
}

/** The values of an io tensor. */
export function ioValues(c: GoldenCase, key: string): Float32Array {
  const e = c.io.tensors.get(key);
  if (e == null) throw new Error(`${c.name}/io.safetensors has no ${key}`);
  return e.data as Float32Array;
}

/** float64 references written by scripts/loss-references.py from HF's tensors. */
export const REFERENCES = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/loss-references.json', import.meta.url)), 'utf8'),
);

/** Largest |ours - ref|, and fails the test naming `what` when an element is out of tolerance. */
export function expectClose(what: string, ours: ArrayLike<number>, ref: ArrayLike<number>, tol: Tolerance): number {
  expect(ours.length, `${what}: length`).toBe(ref.length);
  let maxAbs = 0;
  let worst = -1;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ours[i]! - ref[i]!);
    if (!(d <= tol.atol + tol.rtol * Math.abs(ref[i]!)) && worst < 0) worst = i;
    if (!(d <= maxAbs)) maxAbs = d;
  }
  expect(worst, `${what}: element ${worst} is ${ours[worst]} vs ${ref[worst]} (max abs error ${maxAbs})`).toBe(-1);
  return maxAbs;
}

/** A gradient in HF layout ([out, in] for Linear weights), as a flat copy. */
export function hfLayout(name: string, g: tf.Tensor): Float32Array {
  const linear = isLinearWeight(name, g.shape);
  return tf.tidy(() => (linear ? tf.transpose(g) : g).dataSync() as Float32Array).slice();
}
