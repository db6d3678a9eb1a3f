// Every optimizer against its float64 reference (test/fixtures/optim: torch.optim.AdamW,
// transformers' legacy AdamW, google-research/albert's AdamWeightDecayOptimizer and LAMB) after
// every step, on every Node backend: the tfjs-ops update everywhere, and on native also the fused
// kernel. Bound: |ours − expected| ≤ 5e-7 + 1e-6·|expected| (the fixtures README's float32 bound).
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import {
  AdamW,
  AdamWeightDecay,
  HfLegacyAdamW,
  Lamb,
  type Optimizer,
  type UpdateImplementation,
  usesFusedUpdate,
} from '../src/index.js';
import { compare, fixtureGrads, fixtureParams, loadFixture, type OptimFixture } from './helpers/optim-fixtures.js';

const ATOL = 5e-7;
const RTOL = 1e-6;
const BACKENDS = await testBackends(); // cpu, wasm, native (a missing one fails under CI)

type Case = { file: string; make: (f: OptimFixture, implementation: UpdateImplementation) => Optimizer };
const num = (f: OptimFixture, key: string) => f.hyper[key] as number;
const betas = (f: OptimFixture) => f.hyper.betas as [number, number];
const names = (f: OptimFixture) => f.hyper.exclude_from_weight_decay as string[];
const CASES: Case[] = [
  {
    file: 'adamw.json',
    make: (f, implementation) =>
      new AdamW({
        beta1: betas(f)[0],
        beta2: betas(f)[1],
        epsilon: num(f, 'eps'),
        weightDecay: num(f, 'weight_decay'),
        implementation,
      }),
  },
  {
    file: 'adamw_hf_legacy.json',
    make: (f, implementation) =>
      new HfLegacyAdamW({
        beta1: betas(f)[0],
        beta2: betas(f)[1],
        epsilon: num(f, 'eps'),
        weightDecay: num(f, 'weight_decay'),
        correctBias: true,
        implementation,
      }),
  },
  {
    file: 'adamw_albert_original.json',
    make: (f, implementation) =>
      new AdamWeightDecay({
        beta1: num(f, 'beta_1'),
        beta2: num(f, 'beta_2'),
        epsilon: num(f, 'epsilon'),
        weightDecay: num(f, 'weight_decay_rate'),
        excludeFromWeightDecay: names(f),
        implementation,
      }),
  },
  {
    file: 'lamb.json',
    make: (f, implementation) =>
      new Lamb({
        beta1: num(f, 'beta_1'),
        beta2: num(f, 'beta_2'),
        epsilon: num(f, 'epsilon'),
        weightDecay: num(f, 'weight_decay_rate'),
        excludeFromWeightDecay: names(f),
        trace: true,
        implementation,
      }),
  },
];
const lrOf = (f: OptimFixture) => (f.hyper.lr ?? f.hyper.learning_rate) as number;

const report: Record<string, Record<string, number>> = {};

describe.each(BACKENDS)('optimizer fixtures on %s', (backend) => {
  const implementations: UpdateImplementation[] = backend === 'native' ? ['auto', 'ops'] : ['ops'];
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });
  afterAll(() => {
    console.log(`optimizer fixtures on ${backend}: worst error / bound per case`, JSON.stringify(report[backend]));
  });

  const cases = CASES.flatMap((c) => implementations.map((impl) => [c.file, impl, c] as const));
  it.each(cases)('%s (%s) matches the float64 reference after every step', (file, implementation, c) => {
    expect(tf.getBackend()).toBe(backend);
    const f = loadFixture(file);
    const params = fixtureParams(f);
    const opt = c.make(f, implementation);
    const layerAdaptation = opt instanceof Lamb;
    expect(usesFusedUpdate(implementation, layerAdaptation)).toBe(backend === 'native' && implementation === 'auto');
    let afterFirst = 0; // the first update creates the moments (2 per parameter); later ones add nothing
    let worst = 0;
    let worstAbs = 0;
    for (let k = 0; k < f.grads.length; k++) {
      const grads = fixtureGrads(f, k);
      opt.applyGradients(params, grads, lrOf(f));
      tf.dispose([...grads.values()]);
      for (const [name, p] of params) {
        const { score, maxAbs } = compare(p.dataSync(), f.expected[k]![name]!, ATOL, RTOL);
        expect(score, `${file} step ${k} ${name}: max abs error ${maxAbs}`).toBeLessThanOrEqual(1);
        worst = Math.max(worst, score);
        worstAbs = Math.max(worstAbs, maxAbs);
      }
      if (f.state_float64 != null) {
        const state = opt.getState();
        for (const [name, { exp_avg, exp_avg_sq }] of Object.entries(f.state_float64[k]!)) {
          const m = compare(state.tensors.get(`${name}/m`)!.dataSync(), exp_avg, 1e-9, RTOL);
          const v = compare(state.tensors.get(`${name}/v`)!.dataSync(), exp_avg_sq, 1e-12, RTOL);
          expect(m.score, `${file} step ${k} ${name}/m: max rel error ${m.maxRel}`).toBeLessThanOrEqual(1);
          expect(v.score, `${file} step ${k} ${name}/v: max rel error ${v.maxRel}`).toBeLessThanOrEqual(1);
        }
        tf.dispose([...state.tensors.values()]);
      }
      if (opt instanceof Lamb) {
        for (const [name, ref] of Object.entries(f.trace![k]!)) {
          const ours = opt.lastTrace.get(name)!;
          expect(ours.weightDecay, `${name} weight decay`).toBe(ref.weight_decay);
          expect(ours.layerAdaptation, `${name} layer adaptation`).toBe(ref.layer_adaptation);
          if (ref.w_norm == null) {
            expect(ours.wNorm).toBeNull();
            expect(ours.ratio).toBe(1);
            continue;
          }
          // Norms of float32 tensors (the update's from float32 moments): 1e-6 relative.
          expect(Math.abs(ours.wNorm! - ref.w_norm) / ref.w_norm, `${name} ‖w‖`).toBeLessThan(1e-6);
          expect(Math.abs(ours.updateNorm! - ref.update_norm!) / ref.update_norm!, `${name} ‖u‖`).toBeLessThan(1e-6);
          expect(Math.abs(ours.ratio - ref.ratio) / ref.ratio, `${name} ratio`).toBeLessThan(1e-6);
        }
      }
      if (k === 0) afterFirst = tf.memory().numTensors;
      expect(tf.memory().numTensors, 'tensors after the update').toBe(afterFirst);
    }
    expect(opt.step).toBe(f.grads.length);
    report[backend] ??= {};
    report[backend][`${file} ${implementation}`] = Number(worst.toPrecision(3));
    console.log(`${backend} ${file} ${implementation}: max abs error ${worstAbs.toExponential(2)}`);
    opt.dispose();
    tf.dispose([...params.values()]);
  });
});
