// Parity with Hugging Face transformers' AlbertForSequenceClassification, …ForTokenClassification,
// …ForQuestionAnswering and …ForMultipleChoice (tiny fixtures), on every Node backend: the head's
// outputs and the loss against HF's; the gradient of every parameter against HF's (tiny-seqcls
// ships them) or, for the cases that ship none, the head's gradients against float64 values from
// HF's hidden states (scripts/loss-references.py); numTensors flat over repeated forward+backward.
import { initBackend } from '@albert-ts/backends';
import type { AnyTaskModel, TaskModelClass } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import {
  AlbertForMultipleChoice,
  AlbertForQuestionAnswering,
  AlbertForSequenceClassification,
  AlbertForTokenClassification,
} from '../src/index.js';
import {
  expectClose,
  type GoldenCase,
  hfLayout,
  ioTensor,
  ioValues,
  loadCase,
  REFERENCES,
} from './helpers/fixtures.js';

type Case = {
  name: string;
  Cls: TaskModelClass;
  /** io keys of the inputs and labels, by forward input name. */
  inputs: Record<string, string>;
  /** Output field → io key. */
  outputs: Record<string, string>;
  /** float64 head gradients (HF layout) when the fixture ships no grads.safetensors. */
  headGrads?: Record<string, number[] | number[][]>;
};

const CASES: Case[] = [
  {
    name: 'tiny-seqcls',
    Cls: AlbertForSequenceClassification,
    inputs: { labels: 'labels' },
    outputs: { logits: 'logits' },
  },
  {
    name: 'tiny-tokcls',
    Cls: AlbertForTokenClassification,
    inputs: { labels: 'labels' },
    outputs: { logits: 'logits' },
    headGrads: REFERENCES.tokcls.grads,
  },
  {
    name: 'tiny-qa',
    Cls: AlbertForQuestionAnswering,
    inputs: { startPositions: 'start_positions', endPositions: 'end_positions' },
    outputs: { startLogits: 'start_logits', endLogits: 'end_logits' },
    headGrads: REFERENCES.qa.grads,
  },
  {
    name: 'tiny-mc',
    Cls: AlbertForMultipleChoice,
    inputs: { labels: 'labels' },
    outputs: { logits: 'logits' },
    headGrads: REFERENCES.mc.grads,
  },
];

function inputsOf(c: GoldenCase, spec: Case): Record<string, tf.Tensor> {
  const inputs: Record<string, tf.Tensor> = {
    inputIds: ioTensor(c, 'input_ids'),
    attentionMask: ioTensor(c, 'attention_mask'),
    tokenTypeIds: ioTensor(c, 'token_type_ids'),
  };
  for (const [name, key] of Object.entries(spec.inputs)) inputs[name] = ioTensor(c, key);
  return inputs;
}

const BACKENDS = await testBackends();
/** backend → case → output → max abs error. */
const report: Record<string, Record<string, Record<string, number>>> = {};
afterAll(() => {
  const lines = Object.entries(report).flatMap(([backend, cases]) =>
    Object.entries(cases).map(
      ([name, e]) =>
        `${backend.padEnd(7)} ${name.padEnd(12)} ${Object.entries(e)
          .map(([k, v]) => `${k} ${v.toExponential(1)}`)
          .join(' | ')}`,
    ),
  );
  console.log(`max |ours - HF|:\n${lines.join('\n')}`);
});

describe.each(BACKENDS)('Hugging Face parity on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });

  it.each(CASES)('$name: outputs, loss and gradients', async (spec) => {
    expect(tf.getBackend()).toBe(backend);
    const c = loadCase(spec.name);
    const tol = c.tolerances;
    const errors: Record<string, number> = {};
    const note = (what: string, e: number) => {
      errors[what] = Math.max(errors[what] ?? 0, e);
    };
    const model: AnyTaskModel = await spec.Cls.fromPretrained(c.dir, {
      warn: (m) => {
        throw new Error(`unexpected warning: ${m}`);
      },
    });
    expect(model.loadingInfo).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
    const inputs = inputsOf(c, spec);

    // Forward: the head's outputs and the loss.
    const out = model.forward(inputs);
    for (const [field, key] of Object.entries(spec.outputs)) {
      const ours = out[field] as tf.Tensor;
      expect(ours.shape, `${spec.name} ${field}`).toEqual(c.io.tensors.get(key)?.shape);
      note(key, expectClose(`${spec.name} ${backend} ${key}`, ours.dataSync(), ioValues(c, key), tol.logits));
    }
    expect(out.loss.shape).toEqual([]);
    note('loss', expectClose(`${spec.name} ${backend} loss`, out.loss.dataSync(), ioValues(c, 'loss'), tol.loss));
    tf.dispose(out);

    // Backward, three times: same loss, every parameter's gradient, no tensor left behind.
    const named = model.namedParameters();
    const nameOf = new Map([...named].map(([n, v]) => [v.name, n]));
    const before = tf.memory().numTensors;
    for (let rep = 0; rep < 3; rep++) {
      const { value, grads } = tf.variableGrads(() => model.forward(inputs).loss as tf.Scalar);
      note('loss (backward)', expectClose(`${spec.name} loss`, value.dataSync(), ioValues(c, 'loss'), tol.loss));
      const byName = new Map(Object.entries(grads).map(([v, g]) => [nameOf.get(v) as string, g]));
      expect([...byName.keys()].sort()).toEqual([...named.keys()].sort());
      for (const [name, g] of byName) {
        expect(g.shape, name).toEqual(named.get(name)?.shape);
        const ours = hfLayout(name, g);
        const ref = c.grads?.tensors.get(`grad.${name}`)?.data ?? spec.headGrads?.[name]?.flat();
        if (c.grads != null) expect(ref, `grads.safetensors has grad.${name}`).toBeDefined();
        if (ref != null)
          note('grads', expectClose(`${spec.name} grad ${name}`, ours, ref as ArrayLike<number>, tol.grads));
        else expect(ours.every(Number.isFinite), `${name}: finite gradient`).toBe(true);
      }
      if (c.grads != null) expect(c.grads.tensors.size).toBe(named.size);
      if (spec.headGrads != null) expect(Object.keys(spec.headGrads).sort()).toEqual([...model.head.keys()].sort());
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);

    // Inference (no tape) is flat too, with hidden states and attentions asked for.
    const beforeInference = tf.memory().numTensors;
    for (let rep = 0; rep < 3; rep++)
      tf.dispose(model.forward(inputs, { outputHiddenStates: true, outputAttentions: true }));
    expect(tf.memory().numTensors).toBe(beforeInference);

    report[backend] ??= {};
    report[backend][spec.name] = errors;
    tf.dispose(inputs);
    model.dispose();
  });
});
