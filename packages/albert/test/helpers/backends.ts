// The Node backends the tests loop over (cpu, wasm, native: test-utils' policy, so a missing backend
// fails under CI=true); ALBERT_TS_BACKENDS=cpu,wasm narrows the list. Use describe.each(await nodeBackends()).
import { type BackendName, initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect } from 'vitest';
import { testBackends } from '../../../../test-utils/backends.js';

/** The backends to loop over, plus the test that every requested one is there (call at a file's top level). */
export const nodeBackends = testBackends;

/** In a describe block: switch to `backend` before its tests. */
export function useBackend(backend: string): void {
  beforeAll(async () => {
    await initBackend({ prefer: backend as BackendName });
    expect(tf.getBackend()).toBe(backend);
  });
}

/** Runs `fn` and checks that it leaves no tensor behind. */
export async function noLeak<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

export function softmax(row: ArrayLike<number>): number[] {
  const values = Array.from(row);
  const max = Math.max(...values);
  const exp = values.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / sum);
}
