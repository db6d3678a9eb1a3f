// Run the same tensor program on the cpu backend and on the native backend, compare results.
import { SeededRandom } from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import '../../src/index.js';
import { registerNativeBackend } from '../../src/native/index.js';

export async function setupNative(): Promise<void> {
  await registerNativeBackend();
  await tf.setBackend('native');
}

/** Deterministic uniform values in [lo, hi) (the stream `seed` of @albert-ts/common's generator). */
export function random(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  return new SeededRandom(seed).uniforms(n, lo, hi);
}

export function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs `program` on `backend` and returns every output's values and shape. */
export async function runOn(
  backend: 'cpu' | 'native',
  program: () => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; values: Float32Array | Int32Array | Uint8Array }[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(() => {
    const r = program();
    return Array.isArray(r) ? r : [r];
  });
  const result = outs.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  tf.dispose(outs);
  return result;
}

/** Asserts native == cpu within |a - b| <= atol + rtol * |b| for every element (NaN only where cpu has NaN). */
export async function expectSameAsCpu(program: () => tf.Tensor | tf.Tensor[], atol = 1e-5, rtol = 1e-5): Promise<void> {
  const want = await runOn('cpu', program);
  const got = await runOn('native', program);
  expect(got.length).toBe(want.length);
  for (let o = 0; o < want.length; o++) {
    const w = want[o] as (typeof want)[number];
    const g = got[o] as (typeof got)[number];
    expect(g.shape).toEqual(w.shape);
    expect(g.values.length).toBe(w.values.length);
    let worst = 0;
    let at = -1;
    for (let i = 0; i < w.values.length; i++) {
      if (Object.is(g.values[i], w.values[i])) continue; // equal, both NaN, or the same infinity
      const err = Math.abs((g.values[i] as number) - (w.values[i] as number)) - rtol * Math.abs(w.values[i] as number);
      if (!(err <= atol) && (err > worst || Number.isNaN(err))) {
        worst = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err;
        at = i;
      }
    }
    if (at >= 0) {
      expect.fail(`output ${o} element ${at}: native ${g.values[at]} vs cpu ${w.values[at]} (shape [${w.shape}])`);
    }
  }
  await tf.setBackend('native');
}
