// The page the browser test loads (bundled by esbuild): picks a backend the way an app would,
// then forces wasm and runs a gather gradient (our UnsortedSegmentSum kernel) and a transposed
// matmul (our wrapper) there, asks for webgl by name, and picks automatically once more.
// Results go to window.__albert for the test to read.

import { formatBackendReport, initBackend, maskNegative } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';

async function run() {
  const auto = await initBackend();
  const product = tf.matMul(
    tf.tensor2d([
      [1, 2],
      [3, 4],
    ]),
    tf.tensor2d([
      [5, 6],
      [7, 8],
    ]),
  );
  const autoResult = {
    report: auto,
    line: formatBackendReport(auto),
    matmul: Array.from(await product.data()),
    mask: maskNegative(),
  };

  const wasm = await initBackend({ prefer: 'wasm' });
  const table = tf.tensor2d([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const ids = tf.tensor1d([2, 0, 2], 'int32');
  const grad = tf.grad((t: tf.Tensor) =>
    tf.sum(
      tf.mul(
        tf.gather(t, ids),
        tf.tensor2d([
          [1, 10],
          [100, 1000],
          [2, 20],
        ]),
      ),
    ),
  )(table);
  const transposed = tf.matMul(
    tf.tensor2d([
      [1, 2],
      [3, 4],
    ]),
    tf.tensor2d([
      [5, 6],
      [7, 8],
    ]),
    true,
    true,
  );
  // WebGL asked for explicitly (software-rendered here, often fp16): an attention mask with
  // maskNegative() must give masked keys weight 0 and a fully masked row no NaN.
  let webgl: unknown = null;
  try {
    const gl = await initBackend({ prefer: 'webgl' });
    const scores = tf.tensor2d([
      [0.5, 1.5, -2, 3],
      [1, 2, 3, 4],
    ]);
    const keep = tf.tensor2d([
      [1, 1, 0, 1],
      [0, 0, 0, 0],
    ]);
    const probs = tf.softmax(tf.add(scores, tf.mul(tf.sub(1, keep), maskNegative())));
    webgl = { report: gl, mask: maskNegative(), probs: Array.from(await probs.data()) };
  } catch (err) {
    webgl = { error: String(err) };
  }
  // every backend was now asked for by name (wasm, webgl): the automatic choice must not change
  const autoAgain = await initBackend();
  return {
    auto: autoResult,
    autoAgain: { backend: autoAgain.backend, skipped: autoAgain.skipped },
    isolation: { crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency },
    webgl,
    wasm: {
      report: wasm,
      gatherGrad: Array.from(await grad.data()),
      transposedMatmul: Array.from(await transposed.data()),
    },
  };
}

const w = window as unknown as { __albert: unknown };
run().then(
  (result) => {
    w.__albert = result;
  },
  (err: unknown) => {
    w.__albert = { error: String((err as Error)?.stack ?? err) };
  },
);
