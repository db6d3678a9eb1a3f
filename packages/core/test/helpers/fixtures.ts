// Loads the Hugging Face golden cases kept in test/fixtures/hf-albert (copied from the project's shared
// reference fixtures, hf-albert; see the README there for how they were made).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { parseSafetensors, type SafetensorsFile } from '../../src/index.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/hf-albert/', import.meta.url));
export const CASES = ['tiny-pretraining', 'tiny-groups', 'tiny-seqcls', 'tiny-tokcls', 'tiny-qa', 'tiny-mc'] as const;
export type CaseName = (typeof CASES)[number];

export interface Tolerance {
  atol: number;
  rtol: number;
}

export interface GoldenCase {
  name: CaseName;
  dir: string;
  meta: { hf_class: string; tolerances: Record<'hidden' | 'attentions', Tolerance> };
  io: SafetensorsFile;
}

export function loadCase(name: CaseName): GoldenCase {
  const dir = join(FIXTURES, name);
  return {
    name,
    dir,
    meta: JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')),
    io: parseSafetensors(new Uint8Array(readFileSync(join(dir, 'io.safetensors')))),
  };
}

/** An io tensor as a tf tensor; multiple-choice inputs [b, c, s] are flattened to [b*c, s]. */
export function ioTensor(c: GoldenCase, key: string, flatten2d = false): tf.Tensor {
  const e = c.io.tensors.get(key);
  if (e == null) throw new Error(`${c.name}/io.safetensors has no ${key}`);
  const shape = flatten2d && e.shape.length > 2 ? [-1, e.shape[e.shape.length - 1]!] : e.shape;
  const size = e.shape.reduce((a, b) => a * b, 1);
  const resolved = shape.map((d) => (d === -1 ? size / (e.shape[e.shape.length - 1] ?? 1) : d));
  return tf.tensor(e.data as Float32Array | Int32Array, resolved, e.dtype === 'I32' ? 'int32' : 'float32');
}

/** Largest |ours - ref| and whether every element is within atol + rtol*|ref|. */
export function compare(ours: tf.Tensor, ref: tf.Tensor, tol: Tolerance): { maxAbs: number; ok: boolean } {
  if (ours.shape.join() !== ref.shape.join()) throw new Error(`shape [${ours.shape}] vs reference [${ref.shape}]`);
  const a = ours.dataSync();
  const b = ref.dataSync();
  let maxAbs = 0;
  let ok = true;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= tol.atol + tol.rtol * Math.abs(b[i]!))) ok = false;
    if (!(d <= maxAbs)) maxAbs = d;
  }
  return { maxAbs, ok };
}
