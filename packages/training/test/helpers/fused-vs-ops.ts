// The native backend's fused update against the tfjs-ops update on the cpu backend, for every
// optimizer: tensors large enough for several threads and a partial last block, a small one,
// an empty one, and LAMB's zero guards (a zero weight, a zero update).
import { initBackend } from '@albert-ts/backends';
import { SeededRandom } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import {
  AdamW,
  AdamWeightDecay,
  HfLegacyAdamW,
  Lamb,
  type Optimizer,
  type UpdateImplementation,
  usesFusedUpdate,
} from '../../src/index.js';

/** Seeded uniform values in [lo, hi) (core's SeededRandom). */
export function random(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

// Names exercise the rules (decay and adaptation on the kernels, neither on LayerNorm and bias).
const SHAPES: Record<string, number[]> = {
  'albert.embeddings.word_embeddings.weight': [517, 130], // 67,210 values: threaded, last block partial
  'albert.embeddings.LayerNorm.weight': [7],
  'albert.pooler.bias': [0],
  'predictions.dense.weight': [64, 33], // all zero: ‖w‖ = 0
  'sop_classifier.classifier.weight': [9, 2], // zero gradient on zero moments and no decay: ‖u‖ = 0 … with decay, ‖u‖ = wd‖w‖
};

export const MAKERS: Record<string, (implementation: UpdateImplementation) => Optimizer> = {
  AdamW: (implementation) => new AdamW({ implementation, excludeFromWeightDecay: ['LayerNorm', 'bias'] }),
  HfLegacyAdamW: (implementation) => new HfLegacyAdamW({ implementation }),
  AdamWeightDecay: (implementation) => new AdamWeightDecay({ implementation }),
  Lamb: (implementation) => new Lamb({ implementation, trace: true }),
  LambNoDecay: (implementation) => new Lamb({ implementation, weightDecay: 0, trace: true }),
};

type Run = {
  params: Map<string, Float32Array>;
  moments: Map<string, Float32Array>;
  ratios: Map<string, number>; // the last update's
  firstRatios: Map<string, number>; // the first update's
};

function run(make: (i: UpdateImplementation) => Optimizer, implementation: UpdateImplementation, steps: number): Run {
  const params = new Map<string, tf.Variable>();
  let seed = 1;
  for (const [name, shape] of Object.entries(SHAPES)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = name.startsWith('predictions.') ? new Float32Array(n) : random(n, seed++);
    params.set(name, tf.variable(tf.tensor(values, shape), true));
  }
  const opt = make(implementation);
  const ratios = new Map<string, number>();
  const firstRatios = new Map<string, number>();
  let tensors = 0;
  for (let k = 0; k < steps; k++) {
    const grads = new Map<string, tf.Tensor>();
    for (const [name, p] of params) {
      const values = name.startsWith('sop_') ? new Float32Array(p.size) : random(p.size, 100 * k + seed++, -0.5, 0.5);
      grads.set(name, tf.tensor(values, p.shape));
    }
    opt.applyGradients(params, grads, 1e-3 * (k + 1));
    tf.dispose([...grads.values()]);
    if (k === 0) tensors = tf.memory().numTensors;
    if (k === 0 && opt instanceof Lamb) for (const [name, t] of opt.lastTrace) firstRatios.set(name, t.ratio);
    expect(tf.memory().numTensors).toBe(tensors);
  }
  if (opt instanceof Lamb) for (const [name, t] of opt.lastTrace) ratios.set(name, t.ratio);
  const state = opt.getState();
  const moments = new Map([...state.tensors].map(([k, t]) => [k, t.dataSync() as Float32Array]));
  tf.dispose([...state.tensors.values()]);
  const out = new Map([...params].map(([k, p]) => [k, p.dataSync() as Float32Array]));
  opt.dispose();
  tf.dispose([...params.values()]);
  return { params: out, moments, ratios, firstRatios };
}

/** max |a − b| / (rtol · max |b|): the normwise relative error over rtol. */
function normwise(a: Float32Array, b: Float32Array, rtol: number): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return scale === 0 ? (diff === 0 ? 0 : Number.POSITIVE_INFINITY) : diff / (rtol * scale);
}

/** max over elements of |a − b| / (atol + rtol·|b|). */
function score(a: Float32Array, b: Float32Array, atol: number, rtol: number): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / (atol + rtol * Math.abs(b[i] as number)));
  return worst;
}

/**
 * Runs `name`'s optimizer 3 steps fused on native and with tfjs ops on cpu, and asserts they agree
 * within float32 bounds: parameters |Δ| ≤ 1e-7 + 1e-6·|w| for every element; moments within 1e-6 of
 * the tensor's largest (normwise: β·m + (1 − β)·g cancels, and the fused pass contracts it to one
 * FMA where the ops round twice); trust ratios 1e-6 relative. Returns the worst score (≤ 1 passes).
 */
export async function expectFusedMatchesOps(name: string): Promise<number> {
  const make = MAKERS[name]!;
  await initBackend({ prefer: 'native' });
  expect(usesFusedUpdate('auto', name.startsWith('Lamb'))).toBe(true);
  const fused = run(make, 'auto', 3);
  await initBackend({ prefer: 'cpu' });
  const ops = run(make, 'ops', 3);
  let worst = 0;
  for (const [k, ref] of ops.params) {
    const s = score(fused.params.get(k)!, ref, 1e-7, 1e-6);
    expect(s, `${name} ${k}`).toBeLessThanOrEqual(1);
    worst = Math.max(worst, s);
  }
  for (const [k, ref] of ops.moments) {
    const s = normwise(fused.moments.get(k)!, ref, 1e-6);
    expect(s, `${name} ${k}`).toBeLessThanOrEqual(1);
    worst = Math.max(worst, s);
  }
  for (const [k, ref] of ops.ratios) {
    expect(Math.abs(fused.ratios.get(k)! - ref) / ref, `${name} ratio of ${k}`).toBeLessThan(1e-6);
  }
  if (name.startsWith('Lamb')) {
    // The zero guards: a zero weight gets ratio 1 (first update); so does a zero update (no
    // gradient ever, no decay); with decay that update is wd·w, so the ratio is 1/wd.
    for (const run of [fused, ops]) {
      expect(run.firstRatios.get('predictions.dense.weight')).toBe(1);
      const sop = run.ratios.get('sop_classifier.classifier.weight')!;
      if (name === 'LambNoDecay') expect(sop).toBe(1);
      else expect(Math.abs(sop - 100) / 100).toBeLessThan(1e-6);
    }
  }
  return worst;
}
