// Packed weights on 2 MiB pages (addon.hugeF32, NativeBackend's packed-weight cache): the arrays
// are ordinary zero-filled Float32Arrays to JS, products through them equal a float64 reference
// and the unpacked path bit for bit, and on Linux with transparent huge pages available the kernel
// really backs them with huge pages (/proc/self/smaps_rollup's AnonHugePages).
import { existsSync, readFileSync } from 'node:fs';
import { setImmediate as tick } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NativeBackend } from '../../src/native/backend.js';
import { random, setupNative } from './helpers.js';

beforeAll(setupNative);

const backend = () => tf.backend() as NativeBackend;

/** kB of anonymous memory on huge pages in this process (Linux). */
function anonHugeKb(): number {
  const m = readFileSync('/proc/self/smaps_rollup', 'utf8').match(/AnonHugePages:\s+(\d+) kB/);
  if (m == null) throw new Error('/proc/self/smaps_rollup has no AnonHugePages line');
  return Number(m[1]);
}

/** The kernel's THP mode: the bracketed word of /sys/kernel/mm/transparent_hugepage/enabled. */
function thpMode(): string {
  const text = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
  return text.match(/\[(\w+)\]/)?.[1] ?? 'unknown';
}

describe('packed weights on huge pages', () => {
  it('hugeF32 gives a zero-filled Float32Array of n floats that keeps what is written', () => {
    const a = backend().addon.hugeF32?.(3 * 2 ** 19 + 5) as Float32Array; // 6 MiB + 20 bytes
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.length).toBe(3 * 2 ** 19 + 5);
    expect(a.byteOffset).toBe(0);
    expect(a.every((v) => v === 0)).toBe(true);
    a[0] = 1.5;
    a[a.length - 1] = -2.25;
    expect([a[0], a[a.length - 1], a[1]]).toEqual([1.5, -2.25, 0]);
    expect(() => backend().addon.hugeF32?.(0)).toThrow(/hugeF32: n must be a positive number of floats/);
  });

  it('a cached [768, 3072] weight: products equal the unpacked path bit for bit and a float64 reference', () => {
    const [m, k, n] = [5, 768, 3072];
    const xs = random(m * k, 1);
    const ws = random(k * n, 2);
    const x = tf.tensor2d(xs, [m, k]);
    const w = tf.tensor2d(ws, [k, n]);
    const before = backend().packedCacheBytes();
    const first = tf.matMul(x, w); // first sight of w: B packed per call
    const second = tf.matMul(x, w); // w cached: packed once, on huge pages
    expect(backend().packedCacheBytes() - before).toBe(backend().addon.packedBSize(k, n) * 4);
    const a = first.dataSync();
    const b = second.dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    for (const [i, j] of [
      [0, 0],
      [2, 1234],
      [4, 3071],
    ] as const) {
      let want = 0;
      for (let q = 0; q < k; q++) want += (xs[i * k + q] as number) * (ws[q * n + j] as number);
      expect(Math.abs((b[i * n + j] as number) - want)).toBeLessThan(1e-4);
    }
    tf.dispose([x, w, first, second]);
    expect(backend().packedCacheBytes()).toBe(before);
  });

  it.runIf(process.platform === 'linux')(
    "Linux: the kernel backs a touched 8 MiB array with huge pages unless THP is 'never'",
    () => {
      expect(existsSync('/sys/kernel/mm/transparent_hugepage/enabled')).toBe(true);
      const mode = thpMode();
      const before = anonHugeKb();
      const a = backend().addon.hugeF32?.(2 * 2 ** 20) as Float32Array; // 8 MiB: four whole huge pages
      a.fill(1);
      const grown = anonHugeKb() - before;
      if (mode === 'never') expect(grown).toBe(0);
      else expect(grown).toBeGreaterThanOrEqual(8192);
      expect(a[a.length - 1]).toBe(1);
    },
  );

  it('gives the memory back: 60 touched 8 MiB arrays dropped in turn leave RSS flat', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const settle = async () => {
      gc();
      await tick(); // the finalizers that unmap run after the collection
      gc();
    };
    await settle();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 60; i++) {
      const a = backend().addon.hugeF32?.(2 * 2 ** 20) as Float32Array;
      a.fill(i);
      expect(a[a.length - 1]).toBe(i);
      if (i % 10 === 9) await settle();
    }
    await settle();
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(96 * 2 ** 20); // 60 kept arrays would be 480 MiB
  });
});
