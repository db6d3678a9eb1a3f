// Parity with Hugging Face's AlbertForPreTraining (tiny-pretraining) and AlbertForMaskedLM
// (tiny-groups): logits, losses and the gradient of the loss for every parameter, on every Node backend
// available (cpu and wasm always; native when its addon is built).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@albert-ts/backends';
import { isLinearWeight, parseSafetensors, type SafetensorsFile, type TaskModelClass } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { AlbertForMaskedLM } from '../src/heads/albert-for-masked-lm.js';
import { AlbertForPreTraining } from '../src/heads/albert-for-pretraining.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const TOL = {
  logits: { atol: 1e-4, rtol: 1e-4 },
  loss: { atol: 1e-5, rtol: 1e-4 },
  grads: { atol: 1e-4, rtol: 1e-3 },
};

function load(name: string, file: string): SafetensorsFile {
  return parseSafetensors(new Uint8Array(readFileSync(join(FIXTURES, name, file))));
}

function tensorOf(f: SafetensorsFile, key: string): tf.Tensor {
  const e = f.tensors.get(key);
  if (e == null) throw new Error(`missing ${key}`);
  return tf.tensor(e.data as Float32Array | Int32Array, e.shape, e.data instanceof Int32Array ? 'int32' : 'float32');
}

/** Largest |a-b| and whether every element is within atol + rtol*|ref|. */
function compare(actual: ArrayLike<number>, ref: ArrayLike<number>, tol: { atol: number; rtol: number }) {
  expect(actual.length).toBe(ref.length);
  let maxAbs = 0;
  let ok = true;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs((actual[i] as number) - (ref[i] as number));
    if (!(d <= tol.atol + tol.rtol * Math.abs(ref[i] as number))) ok = false;
    if (!(d <= maxAbs)) maxAbs = d;
  }
  return { maxAbs, ok };
}

/** Our gradient in HF layout ([out, in] for Linear weights). */
function hfLayout(name: string, g: tf.Tensor): Float32Array {
  const linear = isLinearWeight(name, g.shape);
  return tf.tidy(() => (linear ? tf.transpose(g) : g).dataSync() as Float32Array).slice();
}

const report: Record<string, Record<string, number>> = {};
afterAll(() => {
  console.log(`max |ours - HF| per backend:\n${JSON.stringify(report, null, 2)}`);
});

type Model = AlbertForPreTraining | AlbertForMaskedLM;

const BACKENDS = await testBackends();

describe.each(BACKENDS)('Hugging Face parity on %s', (backend) => {
  const cases: [string, TaskModelClass<Model>][] = [
    ['tiny-pretraining', AlbertForPreTraining],
    ['tiny-groups', AlbertForMaskedLM],
  ];
  for (const [caseName, Cls] of cases) {
    it(`${caseName}: logits, loss and every parameter's gradient`, async () => {
      await initBackend({ prefer: backend });
      expect(tf.getBackend()).toBe(backend);
      // The embedding gradient's scatter-add runs on this backend's own UnsortedSegmentSum kernel
      // (registered for wasm by @albert-ts/backends), never on another backend.
      expect(tf.getKernel('UnsortedSegmentSum', backend)).toBeDefined();
      const io = load(caseName, 'io.safetensors');
      const refGrads = load(caseName, 'grads.safetensors');
      const model: Model = await Cls.fromPretrained(join(FIXTURES, caseName), {
        warn: (m) => {
          throw new Error(m);
        },
      });
      const inputs = {
        inputIds: tensorOf(io, 'input_ids') as tf.Tensor2D,
        attentionMask: tensorOf(io, 'attention_mask') as tf.Tensor2D,
        tokenTypeIds: tensorOf(io, 'token_type_ids') as tf.Tensor2D,
        labels: tensorOf(io, 'labels') as tf.Tensor2D,
        ...(model instanceof AlbertForPreTraining && {
          sentenceOrderLabel: tensorOf(io, 'sentence_order_label') as tf.Tensor1D,
        }),
      };
      const errors: Record<string, number> = {};
      const check = (
        what: string,
        actual: ArrayLike<number>,
        ref: ArrayLike<number>,
        tol: { atol: number; rtol: number },
      ) => {
        const { maxAbs, ok } = compare(actual, ref, tol);
        errors[what] = Math.max(errors[what] ?? 0, maxAbs);
        if (!ok) throw new Error(`${caseName} ${backend}: ${what} outside tolerance (max abs error ${maxAbs})`);
      };

      // Forward.
      const out = model.forward(inputs);
      const logitsKey = model instanceof AlbertForPreTraining ? 'prediction_logits' : 'logits';
      const logits = 'predictionLogits' in out ? out.predictionLogits : out.logits;
      const refLogits = io.tensors.get(logitsKey);
      expect(logits.shape).toEqual(refLogits?.shape);
      check(logitsKey, logits.dataSync(), refLogits?.data as Float32Array, TOL.logits);
      if ('sopLogits' in out)
        check('sop_logits', out.sopLogits.dataSync(), io.tensors.get('sop_logits')?.data as Float32Array, TOL.logits);
      expect(out.loss?.shape).toEqual([]);
      check('loss', out.loss?.dataSync() ?? [], io.tensors.get('loss')?.data as Float32Array, TOL.loss);
      tf.dispose(out);

      // Gradients of the loss for every parameter, both for all-position and masked-only logits.
      const named = model.namedParameters();
      const byVariable = new Map([...named].map(([n, v]) => [v.name, n]));
      for (const mlmPositions of ['all', 'masked'] as const) {
        const before = tf.memory().numTensors;
        for (let rep = 0; rep < 3; rep++) {
          const { value, grads } = tf.variableGrads(() => model.forward(inputs, { mlmPositions }).loss as tf.Scalar);
          check(`loss (${mlmPositions})`, value.dataSync(), io.tensors.get('loss')?.data as Float32Array, TOL.loss);
          const names = Object.keys(grads).map((k) => byVariable.get(k));
          expect(names.sort()).toEqual([...named.keys()].sort());
          expect(refGrads.tensors.size).toBe(named.size);
          for (const [varName, g] of Object.entries(grads)) {
            const name = byVariable.get(varName) as string;
            const ref = refGrads.tensors.get(`grad.${name}`);
            if (ref == null) throw new Error(`grads.safetensors has no grad.${name}`);
            check(`grads (${mlmPositions})`, hfLayout(name, g), ref.data as Float32Array, TOL.grads);
          }
          tf.dispose([value, ...Object.values(grads)]);
        }
        expect(tf.memory().numTensors).toBe(before);
      }
      report[`${backend}/${caseName}`] = errors;

      // save → load gives the same file keys as HF's and the same logits.
      const dir = await mkdtemp(join(tmpdir(), 'albert-heads-'));
      try {
        await model.savePretrained(dir);
        const saved = parseSafetensors(new Uint8Array(readFileSync(join(dir, 'model.safetensors'))));
        const original = load(caseName, 'model.safetensors');
        expect([...saved.tensors.keys()].sort()).toEqual([...original.tensors.keys()].sort());
        for (const [k, e] of original.tensors) expect(saved.tensors.get(k)?.data).toEqual(e.data);
        const reloaded: Model = await Cls.fromPretrained(dir, {
          warn: (m) => {
            throw new Error(m);
          },
        });
        const a = model.forward(inputs);
        const b = reloaded.forward(inputs);
        const la = 'predictionLogits' in a ? a.predictionLogits : a.logits;
        const lb = 'predictionLogits' in b ? b.predictionLogits : b.logits;
        expect(lb.dataSync()).toEqual(la.dataSync());
        tf.dispose([a, b]);
        reloaded.dispose();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      tf.dispose(Object.values(inputs));
      model.dispose();
    });
  }
});
