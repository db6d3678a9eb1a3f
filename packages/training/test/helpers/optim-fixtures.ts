// The optimizer fixtures (test/fixtures/optim, copied from the shared reference data; see
// fixtures/README.md): initial values, gradients per step, and the float64 reference parameters
// after every step.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';

export type Named = Record<string, number[]>;

export type OptimFixture = {
  hyper: Record<string, unknown>;
  init: Record<string, { shape: number[]; data: number[] }>;
  grads: Named[];
  expected: Named[];
  state_float64?: Record<string, { exp_avg: number[]; exp_avg_sq: number[] }>[];
  trace?: Record<
    string,
    {
      weight_decay: boolean;
      layer_adaptation: boolean;
      w_norm: number | null;
      update_norm: number | null;
      ratio: number;
    }
  >[];
};

export function loadFixture(file: string): OptimFixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/optim/${file}`, import.meta.url), 'utf8')) as OptimFixture;
}

/** The fixture's parameters as variables, in its order. */
export function fixtureParams(f: OptimFixture): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [name, { shape, data }] of Object.entries(f.init))
    out.set(name, tf.variable(tf.tensor(data, shape), true));
  return out;
}

/** Step `k`'s gradients as tensors shaped like the parameters. */
export function fixtureGrads(f: OptimFixture, k: number): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, data] of Object.entries(f.grads[k] as Named)) out.set(name, tf.tensor(data, f.init[name]!.shape));
  return out;
}

/**
 * The largest error of `ours` against the float64 `ref` measured against the float32 bound used
 * throughout (the fixtures README's): |ours − ref| ≤ atol + rtol·|ref|. Returns the worst
 * |ours − ref| / (atol + rtol·|ref|) (≤ 1 passes) and the worst absolute and relative errors.
 */
export function compare(
  ours: ArrayLike<number>,
  ref: ArrayLike<number>,
  atol: number,
  rtol: number,
): { score: number; maxAbs: number; maxRel: number } {
  let score = 0;
  let maxAbs = 0;
  let maxRel = 0;
  if (ours.length !== ref.length) return { score: Number.POSITIVE_INFINITY, maxAbs: Number.NaN, maxRel: Number.NaN };
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs((ours[i] as number) - (ref[i] as number));
    const r = Math.abs(ref[i] as number);
    score = Math.max(score, Number.isNaN(d) ? Number.POSITIVE_INFINITY : d / (atol + rtol * r));
    maxAbs = Math.max(maxAbs, d);
    if (r > 0) maxRel = Math.max(maxRel, d / r);
  }
  return { score, maxAbs, maxRel };
}
