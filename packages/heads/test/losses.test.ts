// The losses HF picks by problem type, against float64 values computed from HF's own logits with
// torch's documented formulas (scripts/loss-references.py → test/fixtures/loss-references.json):
// regression (MSE, squeezed when num_labels == 1), multi-label (BCE with logits, hard and soft
// targets), and QA positions clamped to [0, seq] with seq ignored (all ignored → NaN, as torch).
// Each also runs forward + backward three times: finite gradients, numTensors flat.
import { initBackend } from '@albert-ts/backends';
import type { AnyTaskModel } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbertForQuestionAnswering, AlbertForSequenceClassification } from '../src/index.js';
import { expectClose, type GoldenCase, ioTensor, ioValues, loadCase, REFERENCES } from './helpers/fixtures.js';

const seqcls = loadCase('tiny-seqcls');
const qa = loadCase('tiny-qa');
const quiet = { warn: () => {} };
const REF = REFERENCES.seqcls;

function encoderInputs(c: GoldenCase) {
  return {
    inputIds: ioTensor(c, 'input_ids') as tf.Tensor2D,
    attentionMask: ioTensor(c, 'attention_mask') as tf.Tensor2D,
    tokenTypeIds: ioTensor(c, 'token_type_ids') as tf.Tensor2D,
  };
}

/** Forward + backward three times: the loss, a finite gradient for every parameter, no tensor left behind. */
function lossWithGradients(model: AnyTaskModel, inputs: object): number {
  const before = tf.memory().numTensors;
  let loss = Number.NaN;
  for (let rep = 0; rep < 3; rep++) {
    const { value, grads } = tf.variableGrads(() => model.forward(inputs).loss as tf.Scalar);
    loss = value.dataSync()[0]!;
    expect(Object.values(grads).reduce((n, g) => n + g.size, 0)).toBe(model.numParameters());
    expect(Object.values(grads).every((g) => g.dataSync().every(Number.isFinite))).toBe(true);
    tf.dispose([value, ...Object.values(grads)]);
  }
  expect(tf.memory().numTensors).toBe(before);
  return loss;
}

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

describe('AlbertForSequenceClassification losses', () => {
  let inputs: ReturnType<typeof encoderInputs>;
  beforeAll(() => {
    inputs = encoderInputs(seqcls);
  });
  afterAll(() => tf.dispose(inputs));

  it('regression with num_labels 1: MSE of the squeezed logits; labels [batch] or [batch, 1]', async () => {
    // A one-output classifier made of column 0 of HF's: its logits are HF's logits[:, 0].
    const three = await AlbertForSequenceClassification.fromPretrained(seqcls.dir, quiet);
    const values = new Map<string, tf.Tensor>();
    for (const [name, v] of three.namedParameters()) if (!name.startsWith('classifier.')) values.set(name, v.clone());
    values.set('classifier.weight', tf.slice(three.head.get('classifier.weight')!, [0, 0], [-1, 1])); // [H, 1]
    values.set('classifier.bias', tf.slice(three.head.get('classifier.bias')!, [0], [1]));
    const config = three.config.with({ id2label: { '0': 'score' }, label2id: { score: 0 } });
    three.dispose();
    const model = new AlbertForSequenceClassification(config, { initialValues: values });
    expect(model.numLabels).toBe(1);

    const hfColumn0 = ioValues(seqcls, 'logits').filter((_, i) => i % 3 === REF.regression1.column);
    for (const labels of [tf.tensor1d(REF.regression1.labels), tf.tensor2d(REF.regression1.labels, [2, 1])]) {
      expect(model.problemType(labels)).toBe('regression');
      const out = model.forward({ ...inputs, labels });
      expect(out.logits.shape).toEqual([2, 1]);
      expectClose('logits', out.logits.dataSync(), hfColumn0, seqcls.tolerances.logits);
      expectClose('loss', out.loss!.dataSync(), [REF.regression1.loss], seqcls.tolerances.loss);
      tf.dispose(out);
      expectClose(
        'loss (backward)',
        [lossWithGradients(model, { ...inputs, labels })],
        [REF.regression1.loss],
        seqcls.tolerances.loss,
      );
      labels.dispose();
    }
    model.dispose();
  });

  it('problem_type "regression" with 3 labels: MSE over [batch, 3]', async () => {
    const model = await AlbertForSequenceClassification.fromPretrained(seqcls.dir, {
      config: { problemType: 'regression' },
    });
    const labels = tf.tensor2d(REF.regression3.labels);
    const out = model.forward(inputs, { labels });
    expectClose('logits', out.logits.dataSync(), ioValues(seqcls, 'logits'), seqcls.tolerances.logits);
    expectClose('loss', out.loss!.dataSync(), [REF.regression3.loss], seqcls.tolerances.loss);
    tf.dispose([out, labels]);
    model.dispose();
  });

  it('problem_type "multi_label_classification": BCE with logits, hard and soft targets', async () => {
    const model = await AlbertForSequenceClassification.fromPretrained(seqcls.dir, {
      config: { problemType: 'multi_label_classification' },
    });
    for (const ref of [REF.multiLabelHard, REF.multiLabelSoft]) {
      const labels = tf.tensor2d(ref.labels);
      const out = model.forward({ ...inputs, labels });
      expectClose('loss', out.loss!.dataSync(), [ref.loss], seqcls.tolerances.loss);
      tf.dispose(out);
      expectClose(
        'loss (backward)',
        [lossWithGradients(model, { ...inputs, labels })],
        [ref.loss],
        seqcls.tolerances.loss,
      );
      labels.dispose();
    }
    model.dispose();
  });

  it('without problem_type, float32 [batch, num_labels] labels mean multi-label (HF rule), int32 single-label', async () => {
    const model = await AlbertForSequenceClassification.fromPretrained(seqcls.dir);
    expect(model.config.problemType).toBeNull();
    const multi = tf.tensor2d(REF.multiLabelHard.labels);
    const single = ioTensor(seqcls, 'labels');
    expect(model.problemType(multi)).toBe('multi_label_classification');
    expect(model.problemType(single)).toBe('single_label_classification');
    const out = model.forward(inputs, { labels: multi });
    expectClose('loss', out.loss!.dataSync(), [REF.multiLabelHard.loss], seqcls.tolerances.loss);
    const ce = model.forward(inputs, { labels: single as tf.Tensor1D });
    expectClose('loss', ce.loss!.dataSync(), ioValues(seqcls, 'loss'), seqcls.tolerances.loss);
    expect(model.config.problemType).toBeNull(); // HF writes it back; we leave the config as loaded
    tf.dispose([out, ce, multi, single]);
    model.dispose();
  });
});

describe('AlbertForQuestionAnswering positions outside the window', () => {
  it('clamps to [0, seq], ignores seq, averages the start and end losses', async () => {
    const model = await AlbertForQuestionAnswering.fromPretrained(qa.dir);
    const inputs = encoderInputs(qa);
    for (const ref of [REFERENCES.qa.clamped, REFERENCES.qa.allIgnored]) {
      const startPositions = tf.tensor1d(ref.startPositions, 'int32');
      const endPositions = tf.tensor1d(ref.endPositions, 'int32');
      const out = model.forward(inputs, { startPositions, endPositions });
      const loss = out.loss!.dataSync()[0]!;
      if (ref.loss === 'NaN') expect(loss).toBeNaN();
      else expectClose('loss', [loss], [ref.loss], qa.tolerances.loss);
      tf.dispose([out, startPositions, endPositions]);
    }
    tf.dispose(inputs);
    model.dispose();
  });
});
