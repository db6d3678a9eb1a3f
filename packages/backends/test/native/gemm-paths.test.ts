// The native GEMM's operand paths against the cpu backend, each at sizes that leave partial
// register blocks (m not a multiple of MR, n not a multiple of NR) and more than one k block
// (k > 768):
// - transposeA read in place (at most 64 Ki floats per batch item, or k <= 128) and packed (larger),
// - transposeB packed with 8 x 8 register transposes (full panels; k not a multiple of 8) and
//   with the scalar transpose (a partial last panel),
// - a row-major B packed per call (wide) and cached as a weight (plain and transposed),
// - bias and activation in the epilogue on top of each.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { expectSameAsCpu, random, setupNative, size } from './helpers.js';

const t = (shape: number[], seed: number, lo = -1, hi = 1) => tf.tensor(random(size(shape), seed, lo, hi), shape);

beforeAll(setupNative);

describe('native GEMM operand paths', () => {
  it('transposeA packed (m * k > 64 Ki), odd m and n, two k blocks, batched and broadcast', async () => {
    await expectSameAsCpu(
      () => [
        tf.matMul(t([1000, 301], 1), t([1000, 70], 2), true, false), // [301 x 1000] . [1000 x 70]
        tf.matMul(t([530, 203], 3), t([530, 77], 4), true, false),
        tf.matMul(t([2, 600, 131], 5), t([2, 600, 50], 6), true, false), // per item 78,600 floats
        tf.matMul(t([600, 131], 7), t([3, 600, 48], 8), true, false), // A shared by the batch
        tf.matMul(t([530, 203], 9), t([77, 530], 10), true, true),
      ],
      1e-4,
      1e-4,
    );
  });

  it('transposeA read in place (m * k <= 64 Ki or k <= 128), attention-sized heads, batched and broadcast', async () => {
    await expectSameAsCpu(
      () => [
        tf.matMul(t([4, 3, 128, 128], 11), t([4, 3, 128, 64], 12), true, false), // dK = Pᵀ · dC
        tf.matMul(t([2, 97, 61], 13), t([2, 97, 45], 14), true, false),
        tf.matMul(t([97, 61], 15), t([3, 97, 45], 16), true, false),
        tf.matMul(t([256, 255], 17), t([256, 24], 18), true, false), // 65,280 floats: the largest in place
        tf.matMul(t([73, 300], 19), t([50, 73], 20), true, true),
        tf.matMul(t([73, 3001], 63), t([73, 128], 64), true, false), // short k, large m (MLM decoder's dW)
        tf.matMul(t([2, 40, 2000], 65), t([2, 40, 77], 66), true, false),
      ],
      1e-4,
      1e-4,
    );
  });

  it('transposeB: full panels (register transposes, k % 8 != 0), a partial panel, k > 768', async () => {
    await expectSameAsCpu(
      () => [
        tf.matMul(t([37, 67], 21), t([48, 67], 22), false, true), // n = 2 x 24
        tf.matMul(t([4, 6, 128, 64], 23), t([4, 6, 128, 64], 24), false, true), // scores Q · Kᵀ
        tf.matMul(t([37, 67], 25), t([50, 67], 26), false, true), // last panel partial
        tf.matMul(t([29, 1543], 27), t([96, 1543], 28), false, true),
        tf.matMul(t([3, 11, 9], 29), t([3, 16, 9], 30), false, true), // k = 9: one block of 8 + a tail
      ],
      1e-4,
      1e-4,
    );
  });

  it('row-major B packed per call: odd n, k with a partial block of 64 rows', async () => {
    await expectSameAsCpu(
      () => [
        tf.matMul(t([5, 130], 31), t([130, 777], 32)),
        tf.matMul(t([2, 9, 130], 33), t([2, 130, 301], 34)),
        tf.matMul(t([67, 1000], 35), t([1000, 200], 36)),
      ],
      1e-4,
      1e-4,
    );
  });

  it('cached weights, plain and transposed, give the same values as the first (uncached) call', async () => {
    await expectSameAsCpu(
      () => {
        const w = t([131, 200], 40); // [in, out]
        const outs: tf.Tensor[] = [];
        for (let i = 0; i < 3; i++) outs.push(tf.matMul(t([7, 131], 41 + i), w));
        for (let i = 0; i < 3; i++) outs.push(tf.matMul(t([7, 200], 44 + i), w, false, true)); // dX = dY · Wᵀ
        for (let i = 0; i < 2; i++) outs.push(tf.matMul(t([131, 9], 47 + i), t([131, 200], 49 + i), true, false));
        return outs;
      },
      1e-4,
      1e-4,
    );
  });

  for (const activation of ['linear', 'relu', 'elu', 'sigmoid'] as const) {
    it(`bias + ${activation} epilogue: transposed paths, and many tasks with partial panels`, async () => {
      await expectSameAsCpu(
        () => [
          tf.fused.matMul({
            a: t([530, 203], 51),
            b: t([530, 77], 52),
            transposeA: true,
            bias: t([77], 53),
            activation,
          }),
          tf.fused.matMul({ a: t([61, 97], 54), b: t([61, 45], 55), transposeA: true, bias: t([45], 56), activation }),
          tf.fused.matMul({ a: t([37, 67], 57), b: t([48, 67], 58), transposeB: true, bias: t([48], 59), activation }),
          // many tasks, each applying the epilogue to its row panels (partial last panel, n % 24 != 0)
          tf.fused.matMul({ a: t([131, 200], 60), b: t([200, 1000], 61), bias: t([1000], 62), activation }),
        ],
        1e-4,
        1e-4,
      );
    });
  }
});
