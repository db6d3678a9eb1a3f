// Two worker_threads running GEMMs through the addon at the same time get correct products
// (one shared thread pool: the second submitter runs its job itself).
import { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { defaultNativeDir } from '../../src/native/index.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const n = require(workerData.file);
let seed = workerData.seed;
const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
const M = 61, K = 300, N = 70;
let worst = 0;
for (let it = 0; it < 100; it++) {
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

it('gemm from two worker threads at once', async () => {
  const file = `${defaultNativeDir}/build/Release/albert_native.node`;
  const errors = await Promise.all(
    [1, 2].map(
      (seed) =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(WORKER, { eval: true, workerData: { file, seed } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  expect(errors).toHaveLength(2);
  for (const e of errors) expect(e).toBeLessThan(1e-4);
});
