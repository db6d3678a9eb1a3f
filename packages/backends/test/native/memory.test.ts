// Memory is part of correctness: 1000 calls of a base-width transformer layer leave the
// tensor count, the packed-weight cache and the process RSS flat; disposing the weights frees
// their packed copies.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import type { NativeBackend } from '../../src/native/index.js';
import { random, setupNative, size } from './helpers.js';

const t = (shape: number[], seed: number) => tf.tensor(random(size(shape), seed), shape);

beforeAll(setupNative);

// A full garbage collection, so RSS reflects what is still referenced.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

it('numTensors, packed weights and RSS stay flat over 1000 forwards', () => {
  const backend = tf.backend() as NativeBackend;
  const [seq, hidden, ffn] = [8, 768, 3072];
  const w = {
    qkv: t([hidden, 3 * hidden], 1),
    o: t([hidden, hidden], 2),
    f1: t([hidden, ffn], 3),
    f2: t([ffn, hidden], 4),
  };
  const b1 = t([ffn], 5);
  const gamma = tf.ones([hidden]);
  const beta = tf.zeros([hidden]);
  const x = t([seq, hidden], 6);
  const layer = () =>
    tf.tidy(() => {
      const qkv = tf.matMul(x, w.qkv);
      const q = tf.reshape(tf.slice(qkv, [0, 0], [-1, hidden]), [seq, 12, 64]);
      const scores = tf.softmax(tf.matMul(tf.transpose(q, [1, 0, 2]), tf.transpose(q, [1, 0, 2]), false, true));
      const ctx = tf.reshape(tf.transpose(tf.matMul(scores, tf.transpose(q, [1, 0, 2])), [1, 0, 2]), [seq, hidden]);
      const h = tf
        .engine()
        .runKernel(
          'AlbertLayerNorm',
          { x: tf.add(tf.matMul(ctx, w.o), x), gamma, beta },
          { epsilon: 1e-12 },
        ) as tf.Tensor2D;
      const inner = tf
        .engine()
        .runKernel('AlbertGeluNew', { x: tf.fused.matMul({ a: h, b: w.f1, bias: b1 }) }) as tf.Tensor2D;
      return tf.add(tf.matMul(inner, w.f2), h);
    });
  for (let i = 0; i < 50; i++) layer().dispose(); // warm up: caches, pools, scratch buffers
  const tensors = tf.memory().numTensors;
  const packed = backend.packedCacheBytes();
  expect(packed).toBeGreaterThan(0);
  gc();
  const rssBefore = process.memoryUsage().rss;
  for (let i = 0; i < 1000; i++) layer().dispose();
  gc();
  const rssAfter = process.memoryUsage().rss;
  console.log(
    `native backend, 1000 layer forwards: RSS ${(rssBefore / 2 ** 20).toFixed(1)} MiB -> ${(rssAfter / 2 ** 20).toFixed(1)} MiB, packed weights ${(packed / 2 ** 20).toFixed(1)} MiB`,
  );
  expect(tf.memory().numTensors).toBe(tensors);
  expect(backend.packedCacheBytes()).toBe(packed);
  expect(rssAfter - rssBefore).toBeLessThan(64 * 2 ** 20);

  tf.dispose([...Object.values(w), b1, gamma, beta, x]);
  expect(backend.packedCacheBytes()).toBe(0);
});

// Training uses a weight both ways (x·W forward, dy·Wᵀ backward): both packings are cached
// side by side, stay right when used alternately, and are freed with the weight.
it('caches a weight packed plain and transposed, alternately used, and frees both', async () => {
  const backend = tf.backend() as NativeBackend;
  const w = t([96, 160], 1); // [in, out]
  const x = t([8, 96], 2);
  const dy = t([8, 160], 3);
  const want = await Promise.all([
    tf.tidy(() => tf.matMul(x, w)).data(),
    tf.tidy(() => tf.matMul(dy, w, false, true)).data(),
  ]);
  const base = backend.packedCacheBytes();
  for (let i = 0; i < 4; i++) {
    const [y, dx] = tf.tidy(() => [tf.matMul(x, w), tf.matMul(dy, w, false, true)]) as [tf.Tensor, tf.Tensor];
    expect(Array.from(y.dataSync())).toEqual(Array.from(want[0]));
    expect(Array.from(dx.dataSync())).toEqual(Array.from(want[1]));
    tf.dispose([y, dx]);
  }
  const both = backend.packedCacheBytes() - base;
  expect(both).toBe(backend.addon.packedBSize(96, 160) * 4 + backend.addon.packedBSize(160, 96) * 4);
  w.dispose();
  expect(backend.packedCacheBytes()).toBe(base);
  tf.dispose([x, dy]);
});
