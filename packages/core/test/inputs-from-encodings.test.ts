// inputsFromEncodings: tokenizer-style Encodings (Int32Array fields) → int32 [batch, seq] tensors,
// padded with id 0 / mask 0 / type 0 to the longest row or to padTo.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { inputsFromEncodings, ModelInputError } from '../src/index.js';

const ids = (...v: number[]) => Int32Array.from(v);
const a = { inputIds: ids(2, 10, 11, 3), attentionMask: ids(1, 1, 1, 1), tokenTypeIds: ids(0, 0, 0, 0) };
const b = {
  inputIds: ids(2, 20, 3, 21, 22, 3),
  attentionMask: ids(1, 1, 1, 1, 1, 1),
  tokenTypeIds: ids(0, 0, 0, 1, 1, 1),
};

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

const rows = (t: tf.Tensor) => t.arraySync();

describe('inputsFromEncodings', () => {
  it('pads a batch to its longest encoding', () => {
    const before = tf.memory().numTensors;
    const x = inputsFromEncodings([a, b]);
    expect(x.inputIds.dtype).toBe('int32');
    expect(x.inputIds.shape).toEqual([2, 6]);
    expect(rows(x.inputIds)).toEqual([
      [2, 10, 11, 3, 0, 0],
      [2, 20, 3, 21, 22, 3],
    ]);
    expect(rows(x.attentionMask)).toEqual([
      [1, 1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1, 1],
    ]);
    expect(rows(x.tokenTypeIds)).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 1, 1, 1],
    ]);
    tf.dispose(x);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes one encoding (batch 1), pads to padTo, and fills a missing mask with ones', () => {
    const x = inputsFromEncodings({ inputIds: [2, 7, 3] }, { padTo: 5 });
    expect(rows(x.inputIds)).toEqual([[2, 7, 3, 0, 0]]);
    expect(rows(x.attentionMask)).toEqual([[1, 1, 1, 0, 0]]);
    expect(rows(x.tokenTypeIds)).toEqual([[0, 0, 0, 0, 0]]);
    tf.dispose(x);
  });

  it('says what is wrong with bad encodings', () => {
    expect(() => inputsFromEncodings([a, b], { padTo: 5 })).toThrow(
      'inputsFromEncodings: encoding 1 has 6 tokens, more than padTo 5; truncate it (tokenizer maxLength) or raise padTo.',
    );
    expect(() => inputsFromEncodings([])).toThrow(ModelInputError);
    expect(() => inputsFromEncodings([{ inputIds: ids(1, 2), attentionMask: ids(1) }])).toThrow(
      'inputsFromEncodings: encoding 0 has 2 inputIds but 1 attentionMask; they must have the same length.',
    );
    expect(() => inputsFromEncodings([{} as never])).toThrow(/encoding 0 has no inputIds/);
  });
});
