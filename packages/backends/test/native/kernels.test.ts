// Every native kernel against the cpu backend on random inputs: odd sizes that are not
// multiples of the GEMM blocks, broadcasting, transposes, every reduction layout.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeKernelNames } from '../../src/native/index.js';
import { expectSameAsCpu, random, setupNative, size } from './helpers.js';

const t = (shape: number[], seed: number, lo = -1, hi = 1) => tf.tensor(random(size(shape), seed, lo, hi), shape);

beforeAll(setupNative);

describe('native matmul', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [7, 13, 19],
    [33, 65, 17],
    [6, 16, 16],
    [128, 64, 128],
    [5, 800, 70],
    [97, 391, 45],
  ];
  for (const [m, k, n] of shapes) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        it(`matMul ${m}x${k}x${n} transposeA=${ta} transposeB=${tb}`, async () => {
          await expectSameAsCpu(
            () => {
              const a = t(ta ? [k, m] : [m, k], m * 7 + k);
              const b = t(tb ? [n, k] : [k, n], n * 13 + k);
              return tf.matMul(a, b, ta, tb);
            },
            1e-4,
            1e-4,
          );
        });
      }
    }
  }

  it('batched, with a shared right operand and with a shared left operand', async () => {
    await expectSameAsCpu(
      () => [
        tf.matMul(t([3, 7, 13], 1), t([3, 13, 9], 2)),
        tf.matMul(t([3, 13, 7], 1), t([3, 9, 13], 2), true, true),
        tf.matMul(t([2, 3, 5, 8], 3), t([8, 6], 4)),
        tf.matMul(t([2, 3, 8, 5], 3), t([6, 8], 4), true, true),
        tf.matMul(t([1, 4, 5], 5), t([3, 5, 6], 6)),
        tf.matMul(t([12, 128, 64], 7), t([12, 128, 64], 8), false, true),
        tf.matMul(t([3, 37, 128], 9), t([3, 128, 64], 10)), // narrow B read in place, per batch item
        tf.matMul(t([37, 200], 11), t([200, 48], 12)),
      ],
      1e-4,
      1e-4,
    );
  });

  it('gives the same result on repeated calls with a cached packed weight', async () => {
    await expectSameAsCpu(
      () => {
        const w = t([70, 45], 9);
        const outs: tf.Tensor[] = [];
        for (let i = 0; i < 3; i++) outs.push(tf.matMul(t([9, 70], 10 + i), w));
        for (let i = 0; i < 2; i++) outs.push(tf.matMul(t([9, 45], 20 + i), w, false, true));
        return outs;
      },
      1e-4,
      1e-4,
    );
  });

  for (const activation of ['linear', 'relu', 'relu6', 'sigmoid', 'elu', 'leakyrelu'] as const) {
    it(`fused matMul + bias + ${activation}`, async () => {
      await expectSameAsCpu(
        () => [
          tf.fused.matMul({ a: t([17, 33], 1), b: t([33, 21], 2), bias: t([21], 3), activation }),
          tf.fused.matMul({
            a: t([33, 17], 1),
            b: t([21, 33], 2),
            bias: t([21], 3),
            activation,
            transposeA: true,
            transposeB: true,
          }),
          tf.fused.matMul({ a: t([2, 17, 33], 4), b: t([33, 21], 5), bias: t([17, 1], 6), activation }),
          tf.fused.matMul({ a: t([17, 33], 7), b: t([33, 21], 8), activation }),
        ],
        1e-4,
        1e-4,
      );
    });
  }

  it('reports mismatched inner dimensions like the cpu backend', () => {
    expect(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5]))).toThrow(/inner shapes \(3\) and \(4\)/);
  });
});

describe('native element-wise', () => {
  const pairs: [number[], number[]][] = [
    [
      [2, 3, 4],
      [2, 3, 4],
    ],
    [[2, 3, 4], [4]],
    [
      [2, 3, 4],
      [3, 1],
    ],
    [[1], [5, 6]],
    [
      [2, 1, 4],
      [1, 3, 1],
    ],
    [[], [7, 9]],
    [
      [4, 1, 1, 33],
      [4, 3, 33, 33],
    ],
    [
      [130, 257],
      [130, 257],
    ],
    [[300, 1000], [1000]],
  ];
  const ops = {
    add: tf.add,
    sub: tf.sub,
    mul: tf.mul,
    div: tf.div,
    maximum: tf.maximum,
    minimum: tf.minimum,
    squaredDifference: tf.squaredDifference,
  };
  for (const [name, op] of Object.entries(ops)) {
    it(`${name} with broadcasting`, async () => {
      await expectSameAsCpu(() =>
        pairs.flatMap(([sa, sb], i) => {
          const a = t(sa, i + 1);
          const b = name === 'div' ? t(sb, i + 100, 0.5, 2) : t(sb, i + 100);
          return [op(a, b), op(b, a)];
        }),
      );
    });
  }

  const unary: Record<string, [(x: tf.Tensor) => tf.Tensor, number, number]> = {
    neg: [tf.neg, -3, 3],
    exp: [tf.exp, -20, 20],
    tanh: [tf.tanh, -6, 6],
    erf: [tf.erf, -4, 4],
    sqrt: [tf.sqrt, 0, 100],
    rsqrt: [tf.rsqrt, 0.01, 100],
    square: [tf.square, -3, 3],
    abs: [tf.abs, -3, 3],
    relu: [tf.relu, -3, 3],
    sigmoid: [tf.sigmoid, -20, 20],
    reciprocal: [tf.reciprocal, 0.1, 10],
    relu6: [tf.relu6, -3, 9],
    elu: [tf.elu, -5, 3],
    leakyRelu: [(x) => tf.leakyRelu(x, 0.3), -3, 3],
  };
  for (const [name, [op, lo, hi]] of Object.entries(unary)) {
    it(`${name}`, async () => {
      await expectSameAsCpu(() => [op(t([1001], 1, lo, hi)), op(t([3, 70000], 2, lo, hi))], 2e-6, 2e-6);
    });
  }

  it('float32 tensors cast from bool/int32 (values stored as Uint8Array/Int32Array) run natively', async () => {
    await expectSameAsCpu(() => {
      const mask = tf.cast(tf.greater(t([6, 1], 1), 0), 'float32'); // bool -> float32 without a copy on cpu
      const ints = tf.cast(tf.tensor2d([[1, -2, 3]], [1, 3], 'int32'), 'float32');
      return [tf.mul(t([6, 5], 2), mask), tf.add(ints, t([4, 3], 3)), tf.matMul(t([2, 6], 4), tf.tile(mask, [1, 3]))];
    });
  });

  it('addN', async () => {
    await expectSameAsCpu(() => tf.addN([t([5, 7], 1), t([5, 7], 2), t([5, 7], 3)]));
  });
});

describe('native softmax, reductions, transpose', () => {
  it('softmax over the last axis (with -1e9 masks)', async () => {
    await expectSameAsCpu(
      () => {
        const x = t([2, 3, 33, 129], 1, -10, 10);
        const mask = tf.mul(tf.cast(tf.less(t([2, 1, 1, 129], 2), -0.5), 'float32'), -1e9);
        return [tf.softmax(x), tf.softmax(tf.add(x, mask)), tf.softmax(t([1], 3))];
      },
      1e-6,
      1e-5,
    );
  });

  it('a float32-min mask gives probability exactly 0, as in PyTorch; exp under/overflows to 0/inf', () => {
    const scores = tf.tensor2d([[0.5, -3.4028234663852886e38, 1.5, -3.4028234663852886e38]]);
    const p = tf.softmax(scores).dataSync();
    expect([p[1], p[3]]).toEqual([0, 0]);
    expect((p[0] as number) + (p[2] as number)).toBeCloseTo(1, 6);
    expect(Array.from(tf.exp(tf.tensor1d([-88, -1e30, 89, 1e30])).dataSync())).toEqual([0, 0, Infinity, Infinity]);
  });

  it('NaN propagates through exp, tanh, softmax, max and min like on cpu', async () => {
    await expectSameAsCpu(() => {
      const x = tf.tensor2d([
        [1, Number.NaN, 3],
        [4, 5, 6],
      ]);
      return [tf.exp(x), tf.tanh(x), tf.softmax(x), tf.max(x, 1), tf.min(x, 1), tf.max(x, 0), tf.min(x, 0)];
    });
  });

  it('sum, mean, max and min over every axis layout', async () => {
    await expectSameAsCpu(
      () => {
        const x = t([3, 5, 7, 11], 1);
        const out: tf.Tensor[] = [];
        for (const axis of [0, 1, 2, 3, -1, [0, 1], [1, 2], [2, 3], [0, 1, 2, 3], [0, 2]] as (number | number[])[]) {
          for (const keepDims of [false, true]) {
            out.push(
              tf.sum(x, axis, keepDims),
              tf.mean(x, axis, keepDims),
              tf.max(x, axis, keepDims),
              tf.min(x, axis, keepDims),
            );
          }
        }
        out.push(tf.sum(t([1000, 768], 2), 0), tf.sum(t([2, 128, 768], 3), [0, 1]), tf.mean(t([70000], 4)));
        out.push(tf.sum(x), tf.mean(x), tf.max(x), tf.min(x), tf.sum(x, undefined, true)); // every axis
        return out;
      },
      1e-4,
      1e-5,
    );
  });

  it('strided and contiguous slices of float32 and int32 tensors', async () => {
    await expectSameAsCpu(() => {
      const x = t([4, 9, 7], 1);
      return [
        tf.slice(x, [0, 0, 0], [4, 1, 7]),
        tf.slice(x, [1, 2, 3], [2, 5, 4]),
        tf.slice(x, [0, 3, 0], [-1, 2, -1]),
        tf.slice(x, [2, 0, 0], [1, -1, -1]),
        tf.slice(tf.cast(tf.mul(x, 50), 'int32'), [1, 1, 1], [3, 3, 3]),
      ];
    });
  });

  it('split along every axis, in equal and given sizes (the gradient of a concatenation)', async () => {
    await expectSameAsCpu(() => {
      const x = t([4, 9, 6], 2);
      return [
        ...tf.split(x, 2, 0),
        ...tf.split(x, [2, 3, 4], 1),
        ...tf.split(x, 3, 2),
        ...tf.split(tf.cast(tf.mul(x, 50), 'int32'), [1, -1], 2),
      ];
    });
  });

  it('pow with the constant exponents 2, 3, 0.5, -0.5 (and others through cpu)', async () => {
    await expectSameAsCpu(
      () => {
        const x = t([5, 33], 1, 0.1, 3);
        return [tf.pow(x, 2), tf.pow(x, 3), tf.pow(x, 0.5), tf.pow(x, -0.5), tf.pow(x, 1.7), tf.pow(x, t([33], 2))];
      },
      1e-5,
      1e-5,
    );
  });

  it('transpose of float32 and int32 tensors', async () => {
    await expectSameAsCpu(() => {
      const x = t([2, 3, 5, 7], 1);
      const ints = tf.cast(tf.mul(x, 100), 'int32');
      return [
        tf.transpose(x, [0, 2, 1, 3]),
        tf.transpose(x, [3, 2, 1, 0]),
        tf.transpose(x, [1, 0, 3, 2]),
        tf.transpose(t([33, 65], 2)),
        tf.transpose(ints, [0, 2, 1, 3]),
        tf.transpose(t([8, 128, 12, 64], 3), [0, 2, 1, 3]),
        tf.transpose(t([2, 37, 3, 20], 4), [0, 2, 3, 1]), // keys -> [b, h, d, s]: tiled 2-D transposes
      ];
    });
  });
});

describe('native gather and segment sum', () => {
  it('gather along axis 0 and 1, float32 and int32 params', async () => {
    await expectSameAsCpu(() => {
      const table = t([50, 9], 1);
      const ids = tf.tensor2d(
        [
          [3, 0, 49],
          [7, 7, 1],
        ],
        [2, 3],
        'int32',
      );
      return [
        tf.gather(table, ids),
        tf.gather(table, tf.tensor1d([8, 0, 2], 'int32'), 1),
        tf.gather(tf.cast(tf.mul(table, 10), 'int32'), ids),
      ];
    });
  });

  it('gather rejects an out-of-range index', () => {
    expect(() => tf.gather(tf.zeros([5, 2]), tf.tensor1d([1, 5], 'int32'))).toThrow(/index value 5 is not in \[0, 4\]/);
  });

  it('unsortedSegmentSum (the gather gradient), ids repeated and out of range', async () => {
    await expectSameAsCpu(() => [
      tf.unsortedSegmentSum(t([6, 130], 1), tf.tensor1d([0, 3, 3, 1, 0, 3], 'int32'), 5),
      tf.unsortedSegmentSum(t([4], 2), tf.tensor1d([2, 2, 0, 1], 'int32'), 3),
    ]);
  });
});

it('implements the hot kernels natively', () => {
  const names = nativeKernelNames();
  for (const k of [
    'BatchMatMul',
    '_FusedMatMul',
    'Add',
    'Multiply',
    'Softmax',
    'Sum',
    'Transpose',
    'GatherV2',
    'UnsortedSegmentSum',
    'AlbertLayerNorm',
    'AlbertGelu',
    'AlbertGeluNew',
  ]) {
    expect(names).toContain(k);
  }
});
