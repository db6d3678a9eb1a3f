// Two worker_threads running GEMMs through the addon at the same time get correct products
// (one shared thread pool: the second submitter runs its job itself), also while the pool is
// resized under them; initBackend's `threads` sets the calling thread's count (setThreadLimit).
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { BackendError, initBackend } from '../../src/index.js';
import { defaultNativeDir, loadNativeAddon } from '../../src/native/index.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const n = require(workerData.file);
let seed = workerData.seed;
const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
const { M, K, N, reps } = workerData;
let worst = 0;
for (let it = 0; it < reps; it++) {
  const a = Float32Array.from({ length: M * K }, rnd), b = Float32Array.from({ length: K * N }, rnd);
  const c = new Float32Array(M * N), tb = it % 2 === 1;
  n.gemm(a, b, c, 1, M, N, K, 0, 0, false, tb, null, null, 0, 0);
  for (let i = 0; i < M; i += 6) for (let j = 0; j < N; j += 7) {
    let s = 0;
    for (let k = 0; k < K; k++) s += a[i * K + k] * (tb ? b[j * K + k] : b[k * N + j]);
    worst = Math.max(worst, Math.abs(s - c[i * N + j]));
  }
}
parentPort.postMessage(worst);
`;

const file = `${defaultNativeDir}/build/Release/albert_native.node`;

// small products run on the calling thread alone; large ones use the pool
const SMALL = { M: 61, K: 300, N: 70, reps: 100 };
const LARGE = { M: 384, K: 512, N: 512, reps: 40 };

function runWorkers(size: typeof SMALL): Promise<number>[] {
  return [1, 2].map(
    (seed) =>
      new Promise<number>((resolve, reject) => {
        const w = new Worker(WORKER, { eval: true, workerData: { file, seed, ...size } });
        w.once('message', resolve);
        w.once('error', reject);
      }),
  );
}

it('gemm from two worker threads at once', async () => {
  const errors = await Promise.all(runWorkers(SMALL));
  expect(errors).toHaveLength(2);
  for (const e of errors) expect(e).toBeLessThan(1e-4);
});

it('resizing the pool while worker threads compute: products stay correct', async () => {
  const addon = loadNativeAddon();
  const before = addon.info().threads;
  addon.setThreads(2);
  const running = runWorkers(LARGE);
  // resize back and forth for 1.5 s while both workers submit jobs (this thread blocks meanwhile)
  let resizes = 0;
  const until = Date.now() + 1500;
  while (Date.now() < until) {
    addon.setThreads(1 + (resizes % 3)); // 1, 2, 3 threads in turn
    resizes++;
  }
  addon.setThreads(before);
  expect(resizes).toBeGreaterThan(100);
  for (const e of await Promise.all(running)) expect(e).toBeLessThan(1e-4);
});

it("initBackend's threads option sets the calling thread's count; a worker thread's own limit stays its own", async () => {
  const addon = loadNativeAddon();
  const before = addon.info().threads;
  try {
    const one = await initBackend({ prefer: 'native', threads: 1 });
    expect(one.backend).toBe('native');
    expect(one.threads).toBe(1);
    expect(addon.info().threads).toBe(1);
    const three = await initBackend({ prefer: 'native', threads: 3 });
    expect(three.threads).toBe(3);
    expect(addon.info().threads).toBe(3);
    // a product still comes out right on the grown pool: [2,3]·[3,2]
    const c = tf.matMul(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]));
    expect(Array.from(await c.data())).toEqual([4, 5, 10, 11]);
    c.dispose();
    // a worker thread limits itself to one thread: it sees 1, this thread still 3
    const seen = await new Promise<number>((resolve, reject) => {
      const w = new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
         const n = require(workerData.file);
         n.setThreadLimit(1);
         parentPort.postMessage(n.info().threads);`,
        { eval: true, workerData: { file } },
      );
      w.once('message', resolve);
      w.once('error', reject);
    });
    expect(seen).toBe(1);
    expect(addon.info().threads).toBe(3);
    for (const bad of [0, 1.5, 257, Number.NaN]) {
      await expect(initBackend({ prefer: 'native', threads: bad })).rejects.toThrow(BackendError);
      await expect(initBackend({ prefer: 'native', threads: bad })).rejects.toThrow(
        /threads must be an integer from 1 to 256/,
      );
    }
  } finally {
    addon.setThreadLimit(0);
    addon.setThreads(before);
  }
});
