// AlbertSelfAttention (packages/common/CONTRACTS.md) on the native backend against the composite core runs
// without it (three linears, head split, Q Kᵀ, masked softmax, P V, head merge) on the cpu
// backend: odd sequence lengths, 1 to 3 batch items, 1 to 12 heads, head widths the register
// blocks do not divide, padded keys and a fully padded batch item. Plus the packed-QKV cache.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NativeBackend } from '../../src/native/index.js';
import { expectAttentionSameAsCpu, fused, maskBias, padRows, t, weights } from './attention-helpers.js';
import { setupNative } from './helpers.js';

beforeAll(setupNative);

describe('AlbertSelfAttention vs the composite on cpu', () => {
  // [batch, seq, hidden, heads, pads per item]
  const cases: [number, number, number, number, number[]][] = [
    [1, 1, 16, 4, [0]],
    [2, 7, 48, 12, [0, 3]],
    [3, 7, 60, 4, [2, 7, 0]], // d = 15; item 1 fully padded
    [3, 33, 64, 4, [0, 5, 32]],
    [1, 33, 24, 1, [10]],
    [2, 128, 64, 1, [0, 100]],
    [1, 128, 768, 12, [0]],
    [2, 128, 768, 12, [27, 128]],
  ];
  it.each(cases)('batch %i, seq %i, hidden %i, %i heads', async (batch, seq, hidden, heads, pads) => {
    await expectAttentionSameAsCpu(batch, seq, hidden, heads, pads);
  });

  it('puts weight exactly 0 on padded keys and averages V uniformly over a fully padded item', () => {
    const [b, s, hidden, heads] = [2, 5, 8, 2];
    tf.tidy(() => {
      const x = t([b, s, hidden], 3) as tf.Tensor3D;
      const w = weights(hidden, 40);
      // Item 0 has one real key (index 2): every query copies V[2]. Item 1 has none: uniform.
      const out = fused(
        x,
        maskBias([
          [0, 0, 1, 0, 0],
          [0, 0, 0, 0, 0],
        ]),
        w,
        heads,
      ).arraySync();
      const v = tf.add(tf.matMul(tf.reshape(x, [b * s, hidden]), w.value), w.valueBias).arraySync() as number[][];
      for (let i = 0; i < s; i++) {
        for (let c = 0; c < hidden; c++) {
          expect(out[0]?.[i]?.[c]).toBeCloseTo(v[2]?.[c] as number, 5);
          const mean = [0, 1, 2, 3, 4].reduce((acc, j) => acc + (v[s + j]?.[c] as number), 0) / s;
          expect(out[1]?.[i]?.[c]).toBeCloseTo(mean, 5);
        }
      }
    });
  });
});

describe('AlbertSelfAttention packed QKV cache and memory', () => {
  it('packs [Wq | Wk | Wv] once, keeps numTensors and the cache flat, frees it with the weights', () => {
    const backend = tf.backend() as NativeBackend;
    const [b, s, hidden, heads] = [2, 9, 96, 4];
    const bytes0 = backend.packedCacheBytes();
    const qkv0 = backend.packedQkvBytes();
    const w = weights(hidden, 60);
    const x = t([b, s, hidden], 7) as tf.Tensor3D;
    const mask = maskBias(padRows(s, [0, 4]));
    const first = fused(x, mask, w, heads);
    const want = first.dataSync().slice();
    first.dispose();
    const packedSize = backend.addon.packedQkvSize(hidden) * 4;
    expect(backend.packedQkvBytes() - qkv0).toBe(packedSize);
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      const y = fused(x, mask, w, heads);
      expect(y.dataSync()).toEqual(want); // same packed weight, same result
      y.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.packedQkvBytes() - qkv0).toBe(packedSize);
    expect(backend.packedCacheBytes() - bytes0).toBe(packedSize);
    // Another triple sharing two of the weights is a separate entry; disposing the shared key
    // drops both.
    const other = tf.mul(w.value, 1) as tf.Tensor2D; // new data (tf.clone would share it)
    fused(x, mask, { ...w, value: other }, heads).dispose();
    expect(backend.packedQkvBytes() - qkv0).toBe(2 * packedSize);
    w.key.dispose();
    expect(backend.packedQkvBytes()).toBe(qkv0);
    expect(backend.packedCacheBytes()).toBe(bytes0);
    tf.dispose([x, mask, other, w.query, w.queryBias, w.keyBias, w.value, w.valueBias]);
  });

  it('keeps numTensors, the cache and RSS flat over 1000 base-width calls', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const backend = tf.backend() as NativeBackend;
    const [b, s, hidden, heads] = [2, 32, 768, 12];
    const bytes0 = backend.packedCacheBytes();
    const w = weights(hidden, 80);
    const x = t([b, s, hidden], 9) as tf.Tensor3D;
    const mask = maskBias(padRows(s, [0, 11]));
    for (let i = 0; i < 20; i++) fused(x, mask, w, heads).dispose(); // warm up: scratch, free list
    const tensors = tf.memory().numTensors;
    const packed = backend.packedCacheBytes();
    gc();
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 1000; i++) fused(x, mask, w, heads).dispose();
    gc();
    const rssAfter = process.memoryUsage().rss;
    console.log(
      `AlbertSelfAttention, 1000 calls [${b}, ${s}, ${hidden}]: RSS ${(rssBefore / 2 ** 20).toFixed(1)} MiB -> ${(rssAfter / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.packedCacheBytes()).toBe(packed);
    expect(packed - bytes0).toBe(backend.addon.packedQkvSize(hidden) * 4);
    expect(rssAfter - rssBefore).toBeLessThan(32 * 2 ** 20);
    tf.dispose([x, mask, ...Object.values(w)]);
    expect(backend.packedCacheBytes()).toBe(bytes0);
  });

  it('says what is wrong with bad inputs', () => {
    const w = weights(8, 70);
    const x = t([1, 3, 8], 1) as tf.Tensor3D;
    const mask = maskBias(padRows(3, [0]));
    expect(() => fused(x, mask, w, 3)).toThrow(/numHeads \(3\) must be a positive divisor of hidden \(8\)/);
    expect(() => fused(x, maskBias(padRows(4, [0])), w, 2)).toThrow(/mask must be \[1, 1, 1, 3\]/);
    const narrow = tf.slice(w.query, [0, 0], [8, 4]) as tf.Tensor2D;
    expect(() => fused(x, mask, { ...w, key: narrow }, 2)).toThrow(/key must be \[8, 8\] \(in, out\), got \[8,4\]/);
    tf.dispose([x, mask, narrow, ...Object.values(w)]);
  });
});
