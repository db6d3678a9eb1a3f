// Encoder gradients vs Hugging Face. grads.safetensors holds d(loss)/d(param) in eval mode.
// tiny-seqcls: AlbertForSequenceClassification (pooler -> classifier -> cross-entropy).
// tiny-groups: AlbertForMaskedLM (2 groups x 2 inner layers; MLM head tied to the word embeddings).
// The tests build those small heads from the checkpoint's own tensors and compare the gradient of
// every encoder parameter (`albert.*`): embeddings with the padding-row rule, layers shared across
// applications (their gradients summed), the pooler, and the tied word embeddings.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { AlbertModel, activation, layerNorm, linear, loadStateDict, parseSafetensors } from '../src/index.js';
import { compare, ioTensor, loadCase } from './helpers/fixtures.js';

const BACKENDS = await testBackends();
const TOL = { atol: 1e-4, rtol: 1e-3 };

/** The case's checkpoint, its HF gradients and its model inputs. */
function caseData(c: ReturnType<typeof loadCase>) {
  const file = parseSafetensors(new Uint8Array(readFileSync(join(c.dir, 'model.safetensors'))));
  const grads = parseSafetensors(new Uint8Array(readFileSync(join(c.dir, 'grads.safetensors'))));
  const inputs = {
    inputIds: ioTensor(c, 'input_ids') as tf.Tensor2D,
    attentionMask: ioTensor(c, 'attention_mask') as tf.Tensor2D,
    tokenTypeIds: ioTensor(c, 'token_type_ids') as tf.Tensor2D,
  };
  return { file, grads, inputs };
}

/**
 * Asserts our gradient of every encoder parameter against HF's `grad.albert.<name>` within TOL
 * (Linear weights are stored [in, out] here, [out, in] in HF); returns the worst max abs error.
 */
function expectEncoderGrads(
  model: AlbertModel,
  grads: ReturnType<typeof parseSafetensors>,
  ours: tf.NamedTensorMap,
): number {
  let worst = 0;
  for (const [name, variable] of model.params) {
    const entry = grads.tensors.get(`grad.albert.${name}`)!;
    expect(entry, name).toBeDefined();
    const ref = tf.tensor(entry.data as Float32Array, entry.shape);
    const g = ours[variable.name]!;
    const mine = g.rank === 2 && !name.includes('embeddings.') ? tf.transpose(g) : g; // Linear: [in,out] -> [out,in]
    const { maxAbs, ok } = compare(mine, ref, TOL);
    worst = Math.max(worst, maxAbs);
    expect(ok, `${name}: max abs ${maxAbs}`).toBe(true);
    tf.dispose([ref, mine]);
  }
  return worst;
}

describe.each(BACKENDS)('encoder gradients vs HF on %s', (backend) => {
  it('tiny-seqcls: loss and every albert.* gradient within tolerance', async () => {
    await initBackend({ prefer: backend });
    const c = loadCase('tiny-seqcls');
    const model = await AlbertModel.fromPretrained(c.dir, { warn: () => {} });
    const { file, grads, inputs } = caseData(c);
    const head = new Map([
      ['classifier.weight', tf.variable(tf.zeros([32, 3]))], // [in, out]
      ['classifier.bias', tf.variable(tf.zeros([3]))],
    ]);
    expect(loadStateDict(head, file, { prefix: '', ignore: [/^albert\./] })).toEqual({ missing: [], unexpected: [] });
    const labels = ioTensor(c, 'labels') as tf.Tensor1D;
    const varList = [...model.params.values()];
    const { value, grads: ours } = tf.variableGrads(() => {
      const pooled = model.forward(inputs).poolerOutput!; // [b, H]
      const logits = linear(pooled, head.get('classifier.weight')!, head.get('classifier.bias')!); // [b, 3]
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 3), logits) as tf.Scalar; // mean over batch
    }, varList);
    const refLoss = c.io.tensors.get('loss')!.data[0] as number;
    expect(Math.abs(value.dataSync()[0]! - refLoss)).toBeLessThan(1e-5 + 1e-4 * Math.abs(refLoss));
    const worst = expectEncoderGrads(model, grads, ours);
    console.log(`${backend} tiny-seqcls: loss ${value.dataSync()[0]} (HF ${refLoss}), worst gradient error ${worst}`);
    tf.dispose([value, labels, ...Object.values(ours), ...head.values()]);
    tf.dispose(inputs);
    model.dispose();
  });

  it('tiny-groups (MLM, tied decoder): loss and every albert.* gradient within tolerance', async () => {
    await initBackend({ prefer: backend });
    const c = loadCase('tiny-groups');
    const model = await AlbertModel.fromPretrained(c.dir, { warn: () => {}, addPoolingLayer: false });
    const { embeddingSize: E, hiddenSize: H, vocabSize: V } = model.config;
    const { file, grads, inputs } = caseData(c);
    const head = new Map([
      ['predictions.dense.weight', tf.variable(tf.zeros([H, E]))],
      ['predictions.dense.bias', tf.variable(tf.zeros([E]))],
      ['predictions.LayerNorm.weight', tf.variable(tf.zeros([E]))],
      ['predictions.LayerNorm.bias', tf.variable(tf.zeros([E]))],
      ['predictions.bias', tf.variable(tf.zeros([V]))],
    ]);
    expect(loadStateDict(head, file, { prefix: '', ignore: [/^albert\./] })).toEqual({ missing: [], unexpected: [] });
    const labels = tf.reshape(ioTensor(c, 'labels'), [-1]) as tf.Tensor1D; // [b*s], -100 = ignored
    const words = model.params.get('embeddings.word_embeddings.weight')!; // [V, E], also the decoder
    const { value, grads: ours } = tf.variableGrads(() => {
      const h = model.forward(inputs).lastHiddenState; // [b, s, H]
      const p = (n: string) => head.get(n)!;
      const x = linear(h, p('predictions.dense.weight'), p('predictions.dense.bias')); // [b, s, E]
      const y = layerNorm(
        activation(model.config.hiddenAct)(x),
        p('predictions.LayerNorm.weight'),
        p('predictions.LayerNorm.bias'),
        model.config.layerNormEps,
      );
      const logits = tf.add(tf.matMul(tf.reshape(y, [-1, E]), words, false, true), p('predictions.bias')); // [b*s, V]
      const valid = tf.cast(tf.notEqual(labels, -100), 'float32'); // [b*s]
      const target = tf.oneHot(tf.where(tf.notEqual(labels, -100), labels, tf.zerosLike(labels)), V);
      const ce = tf.losses.softmaxCrossEntropy(target, logits, undefined, 0, tf.Reduction.NONE); // [b*s]
      return tf.div(tf.sum(tf.mul(ce, valid)), tf.sum(valid)) as tf.Scalar;
    }, [...model.params.values()]);
    const refLoss = c.io.tensors.get('loss')!.data[0] as number;
    expect(Math.abs(value.dataSync()[0]! - refLoss)).toBeLessThan(1e-5 + 1e-4 * Math.abs(refLoss));
    const worst = expectEncoderGrads(model, grads, ours);
    console.log(`${backend} tiny-groups: loss ${value.dataSync()[0]} (HF ${refLoss}), worst gradient error ${worst}`);
    tf.dispose([value, labels, ...Object.values(ours), ...head.values()]);
    tf.dispose(inputs);
    model.dispose();
  });
});
