import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastTidyResults, tensorsInResult } from './tidy-result.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastTidyResults();
});

describe('tensorsInResult', () => {
  it("finds the same tensors as tfjs-core's own walk, in the same order", () => {
    const a = tf.scalar(1);
    const b = tf.tensor1d([1, 2]);
    const c = tf.tensor2d([[3]]);
    const shared = { t: c };
    const containers: unknown[] = [
      a,
      [a, b],
      { x: a, y: [b, { z: c }], n: 3, s: 'str', f: new Float32Array([1, 2, 3]) },
      [shared, shared, [shared]],
      [new Float32Array(5), new Int32Array(2), 7, null, undefined, [[[b]]]],
      { m: new Map([[1, a]]), d: new Date(0), nested: { deeper: { t: a, again: a } } },
      null,
      42,
    ];
    for (const container of containers) {
      const ours = tensorsInResult(container).map((t) => t.id);
      const theirs = tf.tensor_util.getTensorsInContainer(container as tf.TensorContainer).map((t) => t.id);
      expect(ours).toEqual(theirs);
    }
    tf.dispose([a, b, c]);
  });

  it('steps over typed arrays and the numbers in arrays', () => {
    expect(tensorsInResult(new Float32Array(98304))).toEqual([]);
    expect(tensorsInResult(Array.from({ length: 1000 }, (_, i) => i))).toEqual([]);
  });
});

describe('tf.tidy with installFastTidyResults', () => {
  it('returns a typed array unchanged and disposes every tensor of the scope', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1, 2, 3]);
    const out = tf.tidy(() => tf.mul(tf.add(x, 1), 2).dataSync());
    expect(Array.from(out)).toEqual([4, 6, 8]);
    expect(tf.memory().numTensors).toBe(before + 1); // only x
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps exactly the tensors in a mixed result and moves them to the parent scope', () => {
    const before = tf.memory().numTensors;
    let kept: tf.Tensor[] = [];
    const outer = tf.tidy(() => {
      const r = tf.tidy(() => {
        const t = tf.tensor1d([1, 2]);
        const u = tf.square(t); // kept
        const v = tf.neg(t); // kept
        tf.exp(t); // disposed
        return { u, rest: [v, v.dataSync(), 3], values: u.dataSync() };
      });
      kept = [r.u, r.rest[0] as tf.Tensor];
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(Array.from(r.values)).toEqual([1, 4]);
      return r.u; // v goes when the outer scope ends
    });
    expect(outer.isDisposed).toBe(false);
    expect(kept[1]?.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before + 1);
    outer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('does not enter typed arrays (the one difference from tfjs-core: proves the walk is replaced)', () => {
    // tfjs's for…in would find a tensor hung on a typed array as an expando property and keep it.
    let hung: tf.Tensor | undefined;
    tf.tidy(() => {
      const values = new Float32Array(4) as Float32Array & { extra?: tf.Tensor };
      hung = tf.scalar(5);
      values.extra = hung;
      return values;
    });
    expect(hung?.isDisposed).toBe(true);
  });

  it('is installed once', () => {
    const endScope = (tf.engine() as unknown as { endScope: unknown }).endScope;
    installFastTidyResults();
    expect((tf.engine() as unknown as { endScope: unknown }).endScope).toBe(endScope);
  });
});
