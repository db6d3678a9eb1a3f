import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../index.js';
import { cpuUnsortedSegmentSumConfig } from './unsorted-segment-sum.js';

describe('cpu UnsortedSegmentSum (replaces the O(segments × size) stock kernel)', () => {
  it('scatter-adds rows, drops out-of-range ids, and matches a reference', async () => {
    await initBackend({ prefer: 'cpu' });
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu')?.kernelFunc).toBe(cpuUnsortedSegmentSumConfig.kernelFunc);
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 2, 2]);
    const ids = tf.tensor1d([2, 0, 2], 'int32');
    const out = tf.unsortedSegmentSum(x, ids, 4);
    expect(out.shape).toEqual([4, 2, 2]);
    expect(Array.from(await out.data())).toEqual([5, 6, 7, 8, 0, 0, 0, 0, 10, 12, 14, 16, 0, 0, 0, 0]);
    const dropped = tf.unsortedSegmentSum(
      tf.tensor2d([
        [1, 1],
        [2, 2],
      ]),
      tf.tensor1d([-1, 1], 'int32'),
      2,
    );
    expect(Array.from(await dropped.data())).toEqual([0, 0, 2, 2]);
    const ints = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual([3, 3]);
    tf.dispose([x, ids, out, dropped, ints]);
  });

  it('gives the embedding gradient of a 30 000-row table in one pass', async () => {
    await initBackend({ prefer: 'cpu' });
    const table = tf.variable(tf.randomNormal([30000, 16], 0, 1, 'float32', 1));
    const ids = tf.tensor1d(
      Array.from({ length: 256 }, (_, i) => (i * 7919) % 30000),
      'int32',
    );
    const { grads } = tf.variableGrads(() => tf.sum(tf.gather(table, ids)), [table]);
    const g = grads[table.name] as tf.Tensor;
    expect(g.shape).toEqual([30000, 16]);
    // each gathered row receives a gradient of ones, counted once per occurrence
    const counts = new Map<number, number>();
    for (let i = 0; i < 256; i++) counts.set((i * 7919) % 30000, (counts.get((i * 7919) % 30000) ?? 0) + 1);
    const values = await g.data();
    for (const [row, n] of counts) expect(values[row * 16 + 3]).toBe(n);
    expect(values[1 * 16]).toBe(counts.get(1) ?? 0);
    expect(await tf.sum(g).data()).toEqual(new Float32Array([256 * 16]));
    tf.dispose([table, ids, g]);
  });
});
