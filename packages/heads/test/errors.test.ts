// Wrong labels and inputs get a ModelInputError (an AlbertError) that names the head, the labels,
// what was expected and what was given — before any tensor work, and without leaking tensors.
import { initBackend } from '@albert-ts/backends';
import { AlbertError, AlbertModel, type AnyTaskModel, ModelInputError } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AlbertForMultipleChoice,
  AlbertForQuestionAnswering,
  AlbertForSequenceClassification,
  AlbertForTokenClassification,
} from '../src/index.js';
import { FIXTURES, ioTensor, loadCase } from './helpers/fixtures.js';

const models: AnyTaskModel[] = [];
let seqcls: AlbertForSequenceClassification;
let tokcls: AlbertForTokenClassification;
let qa: AlbertForQuestionAnswering;
let mc: AlbertForMultipleChoice;
let inputs: { inputIds: tf.Tensor2D; attentionMask: tf.Tensor2D };
let mcInputs: { inputIds: tf.Tensor3D };

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
  seqcls = await AlbertForSequenceClassification.fromPretrained(`${FIXTURES}tiny-seqcls`);
  tokcls = await AlbertForTokenClassification.fromPretrained(`${FIXTURES}tiny-tokcls`);
  qa = await AlbertForQuestionAnswering.fromPretrained(`${FIXTURES}tiny-qa`);
  mc = await AlbertForMultipleChoice.fromPretrained(`${FIXTURES}tiny-mc`);
  models.push(seqcls, tokcls, qa, mc);
  const c = loadCase('tiny-seqcls');
  inputs = {
    inputIds: ioTensor(c, 'input_ids') as tf.Tensor2D,
    attentionMask: ioTensor(c, 'attention_mask') as tf.Tensor2D,
  };
  mcInputs = { inputIds: ioTensor(loadCase('tiny-mc'), 'input_ids') as tf.Tensor3D };
});
afterAll(() => {
  for (const m of models) m.dispose();
  tf.dispose([inputs, mcInputs]);
});

/** Runs `f` and returns the error message; asserts it is a ModelInputError and nothing leaked. */
function errorOf(f: () => unknown): string {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ModelInputError);
  expect(error).toBeInstanceOf(AlbertError);
  expect(tf.memory().numTensors).toBe(before);
  return (error as Error).message;
}

describe('label errors', () => {
  it('sequence classification: dtype, shape and class range', () => {
    const floats = tf.tensor1d([0, 2]);
    expect(errorOf(() => seqcls.forward(inputs, { labels: floats }))).toBe(
      'AlbertForSequenceClassification (multi_label_classification, num_labels 3): labels must have shape [2,3]; ' +
        'got [2]. Multi-label targets are float32 0/1 (or probabilities) per label; for one class id per row use int32 labels.',
    );
    const outOfRange = tf.tensor1d([0, 3], 'int32');
    expect(errorOf(() => seqcls.forward(inputs, { labels: outOfRange }))).toContain(
      'labels holds 3 at flat index 1; class ids must be in [0, 3) or -100 (ignored)',
    );
    const wrongBatch = tf.tensor1d([0, 1, 2], 'int32');
    expect(errorOf(() => seqcls.forward({ ...inputs, labels: wrongBatch }))).toContain(
      'labels must have shape [2] or [2,1]; got [3]',
    );
    tf.dispose([floats, outOfRange, wrongBatch]);
  });

  it('regression needs float32 targets of the logits shape', async () => {
    const model = await AlbertForSequenceClassification.fromPretrained(`${FIXTURES}tiny-seqcls`, {
      config: { problemType: 'regression' },
    });
    models.push(model);
    const ints = tf.tensor2d(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [2, 3],
      'int32',
    );
    expect(errorOf(() => model.forward(inputs, { labels: ints }))).toBe(
      'AlbertForSequenceClassification (regression, num_labels 3): labels must be float32; got int32. Regression targets are float32 values.',
    );
    ints.dispose();
  });

  it('token classification: one int32 id per position', () => {
    const short = tf.zeros([2, 23], 'int32');
    expect(errorOf(() => tokcls.forward(inputs, { labels: short as tf.Tensor2D }))).toContain(
      'AlbertForTokenClassification (num_labels 5): labels must have shape [2,24]; got [2,23]',
    );
    const floats = tf.zeros([2, 24]);
    expect(errorOf(() => tokcls.forward(inputs, { labels: floats as tf.Tensor2D }))).toContain(
      'labels must be int32; got float32',
    );
    tf.dispose([short, floats]);
  });

  it('question answering: int32 positions, one per row', () => {
    const floats = tf.tensor1d([1, 2]);
    const ok = tf.tensor1d([1, 2], 'int32');
    expect(errorOf(() => qa.forward(inputs, { startPositions: floats, endPositions: ok }))).toContain(
      'AlbertForQuestionAnswering: startPositions must be int32; got float32',
    );
    const matrix = tf.zeros([2, 2], 'int32');
    expect(errorOf(() => qa.forward(inputs, { startPositions: ok, endPositions: matrix as tf.Tensor1D }))).toContain(
      'endPositions must have shape [2] or [2,1]; got [2,2]',
    );
    tf.dispose([floats, ok, matrix]);
  });

  it('multiple choice: [batch, choices, seq] inputs and a choice index per example', () => {
    expect(errorOf(() => mc.forward({ inputIds: inputs.inputIds as unknown as tf.Tensor3D }))).toBe(
      'AlbertForMultipleChoice: inputIds must be [batch, choices, seq] (one row per choice); got [2,24]. Stack the choices of each example.',
    );
    const mask = tf.ones([2, 2, 24], 'int32') as tf.Tensor3D;
    expect(errorOf(() => mc.forward({ ...mcInputs, attentionMask: mask }))).toBe(
      'AlbertForMultipleChoice: attentionMask must have the shape of inputIds [2,3,24]; got [2,2,24].',
    );
    const labels = tf.tensor1d([0, 3], 'int32');
    expect(errorOf(() => mc.forward({ ...mcInputs, labels }))).toContain('class ids must be in [0, 3)');
    tf.dispose([mask, labels]);
  });
});

describe('model errors', () => {
  it('an encoder whose pooler does not fit the head', () => {
    const albert = new AlbertModel(seqcls.config, { seed: 1 }); // with pooler
    expect(errorOf(() => new AlbertForTokenClassification(seqcls.config, { albert }))).toBe(
      'AlbertForTokenClassification needs an AlbertModel without its pooler (addPoolingLayer: false); the one given has addPoolingLayer: true.',
    );
    const shared = new AlbertForSequenceClassification(seqcls.config, { albert, seed: 1 });
    expect(shared.albert).toBe(albert); // built on the given encoder
    shared.dispose();
  });
});
