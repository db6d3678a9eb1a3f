// The task losses against references: cross-entropy against the losses Hugging Face computed from
// its own logits in the fixtures (sequence, token, multiple-choice and QA heads, -100 and QA's
// ignore index); MSE and BCE-with-logits against torch's documented formulas evaluated here in
// float64 from HF's logits; gatherLabelledRows against hand-computed rows and gradients.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bceWithLogits,
  crossEntropy,
  gatherLabelledRows,
  IGNORE_INDEX,
  ModelInputError,
  mseLoss,
} from '../../src/index.js';
import { ioTensor, loadCase } from '../helpers/fixtures.js';

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

const scalar = (t: tf.Tensor) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};
const LOSS = { atol: 1e-5, rtol: 1e-4 }; // the fixtures' loss tolerance
const close = (ours: number, ref: number) =>
  expect(Math.abs(ours - ref)).toBeLessThanOrEqual(LOSS.atol + LOSS.rtol * Math.abs(ref));

describe('crossEntropy', () => {
  it('gives HF loss from HF logits: sequence, token (with -100) and multiple-choice heads', () => {
    for (const name of ['tiny-seqcls', 'tiny-tokcls', 'tiny-mc'] as const) {
      const c = loadCase(name);
      const logits = ioTensor(c, 'logits');
      const classes = logits.shape[logits.rank - 1]!;
      const labels = ioTensor(c, 'labels');
      const loss = tf.tidy(() => crossEntropy(tf.reshape(logits, [-1, classes]), tf.reshape(labels, [-1])));
      close(scalar(loss), c.io.tensors.get('loss')!.data[0] as number);
      tf.dispose([logits, labels]);
    }
  });

  it('with ignoreIndex = seq, as HF question answering: (start + end) / 2', () => {
    const c = loadCase('tiny-qa');
    const [start, end, sp, ep] = ['start_logits', 'end_logits', 'start_positions', 'end_positions'].map((k) =>
      ioTensor(c, k),
    );
    const seq = start!.shape[1]!;
    const loss = tf.tidy(() =>
      tf.div(
        tf.add(
          crossEntropy(start as tf.Tensor2D, sp as tf.Tensor1D, { ignoreIndex: seq }),
          crossEntropy(end as tf.Tensor2D, ep as tf.Tensor1D, { ignoreIndex: seq }),
        ),
        2,
      ),
    );
    close(scalar(loss), c.io.tensors.get('loss')!.data[0] as number);
    tf.dispose([start!, end!, sp!, ep!]);
  });

  it('is NaN when every row is ignored (0/0, as torch) and rejects bad labels', () => {
    const logits = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(scalar(crossEntropy(logits, tf.tensor1d([IGNORE_INDEX, IGNORE_INDEX], 'int32')))).toBeNaN();
    expect(() => crossEntropy(logits, tf.tensor1d([0, 1]))).toThrow(ModelInputError);
    expect(() => crossEntropy(logits, tf.tensor1d([0], 'int32'))).toThrow(/2 rows of logits but labels of shape \[1\]/);
    logits.dispose();
  });
});

describe('mseLoss and bceWithLogits (torch formulas in float64 from HF logits)', () => {
  const c = loadCase('tiny-seqcls');
  const logits = Array.from(c.io.tensors.get('logits')!.data as Float32Array); // [2, 3] row-major
  const targets = [0.25, 1, 0, 0.5, 0, 1];

  it('MSE: mean((x - y)^2)', () => {
    const ref = logits.reduce((s, x, i) => s + (x - targets[i]!) ** 2, 0) / logits.length;
    close(scalar(mseLoss(tf.tensor2d(logits, [2, 3]), tf.tensor2d(targets, [2, 3]))), ref);
  });

  it('BCE with logits: mean(-(y log σ(x) + (1 - y) log(1 - σ(x)))), stable for large |x|', () => {
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const ref =
      logits.reduce(
        (s, x, i) => s - (targets[i]! * Math.log(sigmoid(x)) + (1 - targets[i]!) * Math.log(1 - sigmoid(x))),
        0,
      ) / logits.length;
    close(scalar(bceWithLogits(tf.tensor2d(logits, [2, 3]), tf.tensor2d(targets, [2, 3]))), ref);
    // x = ±100: the naive formula overflows; the exact values are 100 (wrong side) and ~0 (right side).
    close(scalar(bceWithLogits(tf.tensor1d([100, -100]), tf.tensor1d([0, 0]))), 50);
    close(scalar(bceWithLogits(tf.tensor1d([100, -100]), tf.tensor1d([1, 0]))), 0);
  });

  it('rejects mismatched shapes and integer targets', () => {
    expect(() => mseLoss(tf.zeros([2, 3]), tf.zeros([2]))).toThrow(/input has shape \[2,3\] but target \[2\]/);
    expect(() => bceWithLogits(tf.zeros([2]), tf.zeros([2], 'int32'))).toThrow(/target must be float32; got int32/);
  });
});

describe('gatherLabelledRows', () => {
  it('gathers the rows whose label is not -100, and scatters the gradient back to them', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    const labels = tf.tensor1d([IGNORE_INDEX, 9, IGNORE_INDEX, 4], 'int32');
    const picked = gatherLabelledRows(x, labels);
    expect(Array.from(picked.rows.dataSync())).toEqual([3, 4, 7, 8]);
    expect(Array.from(picked.labels.dataSync())).toEqual([9, 4]);
    const w = tf.tensor2d([
      [10, 20],
      [30, 40],
    ]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gatherLabelledRows(t as tf.Tensor2D, labels).rows, w)))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 10, 20, 0, 0, 30, 40]);
    tf.dispose([x, labels, picked.rows, picked.labels, w, g]);
  });
});
