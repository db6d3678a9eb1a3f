// The wasm kernels we add or wrap, checked against tfjs's cpu backend on the same inputs.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../index.js';

/** Runs `f` on a backend and returns the values of its result (tensors are disposed). */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<{ shape: number[]; values: number[] }> {
  await tf.setBackend(backend);
  const y = tf.tidy(f);
  const out = { shape: y.shape, values: Array.from(await y.data()) };
  y.dispose();
  return out;
}

function expectClose(a: number[], b: number[], tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('wasm kernels vs cpu', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
    await initBackend({ prefer: 'wasm' });
  });

  it('UnsortedSegmentSum sums rows into segments (known values)', async () => {
    const r = await on('wasm', () =>
      tf.unsortedSegmentSum(
        tf.tensor2d([
          [1, 2],
          [3, 4],
          [5, 6],
          [7, 8],
        ]),
        tf.tensor1d([2, 0, 2, -1], 'int32'),
        3,
      ),
    );
    expect(r.shape).toEqual([3, 2]);
    expect(r.values).toEqual([3, 4, 0, 0, 6, 8]);
  });

  it('UnsortedSegmentSum matches cpu on random float and int inputs', async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      const make = () =>
        tf.unsortedSegmentSum(
          dtype === 'float32'
            ? tf.randomNormal([64, 3, 5], 0, 1, 'float32', 7)
            : tf.randomUniform([64, 3, 5], -50, 50, 'int32', 7),
          tf.randomUniform([64], 0, 20, 'int32', 11),
          20,
        );
      const w = await on('wasm', make);
      const c = await on('cpu', make);
      expect(w.shape).toEqual([20, 3, 5]);
      expectClose(w.values, c.values, 1e-5);
    }
  });

  it('GatherV2 gradient (embedding lookup) matches cpu', async () => {
    const grad = () => {
      const table = tf.randomNormal([50, 8], 0, 1, 'float32', 3);
      const ids = tf.tensor2d(
        [
          [1, 4, 4, 49],
          [0, 1, 2, 4],
        ],
        [2, 4],
        'int32',
      );
      const w = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 5);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), w)))(table);
    };
    const w = await on('wasm', grad);
    const c = await on('cpu', grad);
    expect(w.shape).toEqual([50, 8]);
    expectClose(w.values, c.values, 1e-5);
    expect(w.values.slice(3 * 8, 4 * 8)).toEqual(new Array(8).fill(0)); // id 3 is never looked up
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('BatchMatMul transposeA=%s transposeB=%s matches cpu (rank 3 and 4, broadcast)', async (ta, tb) => {
    const a3 = (): tf.Tensor => tf.randomNormal(ta ? [3, 7, 5] : [3, 5, 7], 0, 1, 'float32', 1);
    const b3 = (): tf.Tensor => tf.randomNormal(tb ? [3, 6, 7] : [3, 7, 6], 0, 1, 'float32', 2);
    const w3 = await on('wasm', () => tf.matMul(a3(), b3(), ta, tb));
    const c3 = await on('cpu', () => tf.matMul(a3(), b3(), ta, tb));
    expect(w3.shape).toEqual([3, 5, 6]);
    expectClose(w3.values, c3.values, 1e-4);
    const a4 = (): tf.Tensor => tf.randomNormal(ta ? [2, 3, 4, 5] : [2, 3, 5, 4], 0, 1, 'float32', 3);
    const b2 = (): tf.Tensor => tf.randomNormal(tb ? [6, 4] : [4, 6], 0, 1, 'float32', 4);
    const w4 = await on('wasm', () => tf.matMul(a4(), b2(), ta, tb));
    const c4 = await on('cpu', () => tf.matMul(a4(), b2(), ta, tb));
    expect(w4.shape).toEqual([2, 3, 5, 6]);
    expectClose(w4.values, c4.values, 1e-4);
  });

  it('fused matMul with transposes, bias and relu matches cpu', async () => {
    const f = () =>
      tf.fused.matMul({
        a: tf.randomNormal([9, 4], 0, 1, 'float32', 5),
        b: tf.randomNormal([6, 9], 0, 1, 'float32', 6),
        transposeA: true,
        transposeB: true,
        bias: tf.randomNormal([6], 0, 1, 'float32', 7),
        activation: 'relu',
      });
    const w = await on('wasm', f);
    const c = await on('cpu', f);
    expect(w.shape).toEqual([4, 6]);
    expectClose(w.values, c.values, 1e-4);
  });

  it('transposed matmul leaves no tensors or wasm buffers behind', async () => {
    await tf.setBackend('wasm');
    const a = tf.randomNormal([4, 8, 16]);
    const b = tf.randomNormal([4, 8, 16]);
    const run = () => tf.tidy(() => tf.sum(tf.matMul(a, b, true, false)).dataSync());
    run();
    const before = tf.memory().numTensors;
    const buffersBefore = tf.backend().numDataIds();
    for (let i = 0; i < 20; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().numDataIds()).toBe(buffersBefore);
    tf.dispose([a, b]);
  });
});
