// Optimizer state by parameter name: a run interrupted after step k, its state saved and loaded
// into a fresh optimizer, ends bit-identical to the uninterrupted run on the same backend; the
// tensor count stays flat over many updates.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { AdamW, Lamb, type Optimizer, type OptimizerState } from '../src/index.js';
import { fixtureGrads, fixtureParams, loadFixture } from './helpers/optim-fixtures.js';

const BACKENDS = await testBackends();
const lamb = loadFixture('lamb.json');

function values(params: Map<string, tf.Variable>): Map<string, Float32Array> {
  return new Map([...params].map(([k, p]) => [k, p.dataSync() as Float32Array]));
}

/** A copy of the state as plain arrays (what a checkpoint writes), and back. */
function serialise(state: OptimizerState) {
  const tensors = [...state.tensors].map(([k, t]) => [k, t.shape, Array.from(t.dataSync())] as const);
  return JSON.stringify({ step: state.step, config: state.config, tensors });
}
function deserialise(json: string): OptimizerState {
  const s = JSON.parse(json) as {
    step: number;
    config: Record<string, unknown>;
    tensors: [string, number[], number[]][];
  };
  return {
    step: s.step,
    config: s.config,
    tensors: new Map(s.tensors.map(([k, shape, data]) => [k, tf.tensor(data, shape)])),
  };
}

describe.each(BACKENDS)('state on %s', (backend) => {
  it.each([
    ['AdamW', () => new AdamW({ epsilon: 1e-6 })],
    ['Lamb', () => new Lamb()],
  ] as const)('%s resumed from a saved state ends bit-identical', async (_name, make: () => Optimizer) => {
    await initBackend({ prefer: backend });
    const steps = lamb.grads.length;
    const straight = fixtureParams(lamb);
    const a = make();
    for (let k = 0; k < steps; k++) a.applyGradients(straight, fixtureGrads(lamb, k), 1e-3);

    const resumed = fixtureParams(lamb);
    const b = make();
    for (let k = 0; k < 2; k++) b.applyGradients(resumed, fixtureGrads(lamb, k), 1e-3);
    const saved = b.getState();
    const json = serialise(saved);
    tf.dispose([...saved.tensors.values()]);
    b.dispose();
    const c = make();
    const loaded = deserialise(json);
    c.setState(loaded);
    tf.dispose([...loaded.tensors.values()]); // setState copied them
    expect(c.step).toBe(2);
    for (let k = 2; k < steps; k++) c.applyGradients(resumed, fixtureGrads(lamb, k), 1e-3);
    expect(c.step).toBe(steps);
    const [x, y] = [values(straight), values(resumed)];
    for (const [k, v] of x) expect(Array.from(y.get(k)!), k).toEqual(Array.from(v));
    for (const o of [a, c]) o.dispose();
    tf.dispose([...straight.values(), ...resumed.values()]);
  });
});

it('keeps the tensor count flat over 200 updates', async () => {
  await initBackend({ prefer: BACKENDS.includes('native') ? 'native' : 'cpu' });
  const params = fixtureParams(lamb);
  const grads = fixtureGrads(lamb, 0);
  for (const opt of [new Lamb(), new AdamW()]) {
    opt.applyGradients(params, grads, 1e-3);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 200; k++) opt.applyGradients(params, grads, 1e-4);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
  }
  tf.dispose([...params.values(), ...grads.values()]);
});
