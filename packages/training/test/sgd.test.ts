// SGD and clip_grad_norm_ against PyTorch 1.13 (fixtures/torch-sgd.json, torch-clip.json), on each backend.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { clipGradNorm, SGD, TrainingError } from '../src/index.js';
import { fixture, worstRelative } from './helpers/fixtures.js';

type Values = Record<string, number[]>;
type SgdFixture = {
  shapes: Record<string, number[]>;
  init: Values;
  grads: Values[];
  lrs: number[];
  cases: {
    config: { momentum: number; dampening: number; weight_decay: number; nesterov: boolean };
    params: Values[];
  }[];
};
type ClipFixture = {
  shapes: Record<string, number[]>;
  cases: { maxNorm: number; grads: Values; totalNorm: number; clipped: Values }[];
};

const SGD_REF = fixture<SgdFixture>('torch-sgd.json');
const CLIP_REF = fixture<ClipFixture>('torch-clip.json');
const BACKENDS = await testBackends();

describe.each(BACKENDS)('SGD and clip_grad_norm_ on %s', (backend) => {
  it.each(SGD_REF.cases.map((c) => [JSON.stringify(c.config), c] as const))(
    'SGD %s matches torch.optim.SGD after every step (1e-6 relative)',
    async (_name, c) => {
      await initBackend({ prefer: backend });
      const before = tf.memory().numTensors;
      const params = new Map(
        Object.entries(SGD_REF.init).map(([k, v]) => [k, tf.tidy(() => tf.variable(tf.tensor(v, SGD_REF.shapes[k])))]),
      );
      const sgd = new SGD({
        momentum: c.config.momentum,
        dampening: c.config.dampening,
        weightDecay: c.config.weight_decay,
        nesterov: c.config.nesterov,
      });
      SGD_REF.grads.forEach((g, s) => {
        const grads = new Map(Object.entries(g).map(([k, v]) => [k, tf.tensor(v, SGD_REF.shapes[k])]));
        sgd.applyGradients(params, grads, SGD_REF.lrs[s] as number);
        tf.dispose([...grads.values()]);
        for (const [k, p] of params) {
          expect(
            worstRelative(p.dataSync(), (c.params[s] as Values)[k] as number[]),
            `${k} step ${s + 1}`,
          ).toBeLessThan(1e-6);
        }
      });
      expect(sgd.step).toBe(5);
      sgd.dispose();
      tf.dispose([...params.values()]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it.each(CLIP_REF.cases.map((c) => [c.maxNorm, c] as const))(
    'clipGradNorm(maxNorm %d) gives torch total norm and clipped gradients',
    async (_maxNorm, c) => {
      await initBackend({ prefer: backend });
      const grads = new Map(Object.entries(c.grads).map(([k, v]) => [k, tf.tensor(v, CLIP_REF.shapes[k])]));
      const out = clipGradNorm(grads, c.maxNorm);
      expect(worstRelative(out.totalNorm.dataSync(), [c.totalNorm])).toBeLessThan(1e-6);
      for (const [k, g] of out.grads)
        expect(worstRelative(g.dataSync(), c.clipped[k] as number[]), k).toBeLessThan(1e-6);
      tf.dispose([...grads.values(), ...out.grads.values(), out.totalNorm]);
    },
  );
});

describe('SGD bad input and state', () => {
  it('rejects impossible options and a state saved with other options, by name', () => {
    expect(() => new SGD({ momentum: -0.1 })).toThrow(/SGD: momentum must be a finite number >= 0 \(got -0.1\)/);
    expect(() => new SGD({ nesterov: true })).toThrow(/nesterov needs momentum > 0 and dampening 0/);
    const a = new SGD({ momentum: 0.9 });
    const state = a.getState();
    const b = new SGD({ momentum: 0.5 });
    expect(() => b.setState(state)).toThrow(TrainingError);
    expect(() => b.setState(state)).toThrow(/saved with momentum = 0.9, this optimizer has 0.5/);
    const p = new Map([['w', tf.variable(tf.zeros([2]))]]);
    const g = new Map([['x', tf.ones([2])]]);
    expect(() => a.applyGradients(p, g, 0.1)).toThrow(/gradient for "x" but no parameter of that name/);
    tf.dispose([...p.values(), ...g.values()]);
  });

  it('round-trips its momentum buffers through getState/setState', () => {
    const p = new Map([['w', tf.variable(tf.tensor1d([1, 2]))]]);
    const g = new Map([['w', tf.tensor1d([0.5, -1])]]);
    const a = new SGD({ momentum: 0.9 });
    a.applyGradients(p, g, 0.1);
    const state = a.getState();
    expect(state.step).toBe(1);
    expect([...state.tensors.keys()]).toEqual(['w/momentum_buffer']);
    expect(Array.from(state.tensors.get('w/momentum_buffer')?.dataSync() ?? [])).toEqual([0.5, -1]);
    const b = new SGD({ momentum: 0.9 });
    b.setState(state);
    tf.dispose([...state.tensors.values()]);
    const q = new Map([['w', tf.variable(p.get('w') as tf.Variable)]]);
    a.applyGradients(p, g, 0.1);
    b.applyGradients(q, g, 0.1);
    expect(Array.from(p.get('w')?.dataSync() ?? [])).toEqual(Array.from(q.get('w')?.dataSync() ?? []));
    a.dispose();
    b.dispose();
    tf.dispose([...p.values(), ...q.values(), ...g.values()]);
  });
});
