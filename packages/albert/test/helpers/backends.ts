// The Node backends this machine provides (cpu and wasm always, native when its addon is built);
// ALBERT_TS_BACKENDS=cpu,wasm narrows the list. Tests that loop over backends use describe.each(BACKENDS).
import { availableBackends, type BackendName, initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect } from 'vitest';

export const BACKENDS = await availableBackends();

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
