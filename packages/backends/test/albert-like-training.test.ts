// Every op an ALBERT training step uses, in one small ALBERT-shaped graph (embedding gathers,
// factorised projection, masked multi-head attention, softmax, GELU in both forms, layer
// norm, tanh pooler, MLM cross-entropy), differentiated with tf.variableGrads on each Node
// backend and compared with the cpu backend. It fails if any kernel or gradient is missing
// on a backend (as UnsortedSegmentSum was on wasm) or computes differently.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { initBackend, maskNegative } from '../src/index.js';

const V = 40; // vocab
const E = 8; // embedding size
const H = 16; // hidden
const HEADS = 2;
const I = 24; // FFN
const B = 2;
const S = 6;

function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, 1e-12))), g), b);
}
const geluErf = (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
const geluTanh = (x: tf.Tensor) =>
  tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));

function makeParams(): Map<string, tf.Variable> {
  const shapes: Record<string, number[]> = {
    word: [V, E],
    pos: [S, E],
    type: [2, E],
    embLnG: [E],
    embLnB: [E],
    proj: [E, H],
    projB: [H],
    q: [H, H],
    k: [H, H],
    v: [H, H],
    o: [H, H],
    attLnG: [H],
    attLnB: [H],
    ffn: [H, I],
    ffnB: [I],
    ffnOut: [I, H],
    ffnLnG: [H],
    ffnLnB: [H],
    pool: [H, H],
    poolB: [H],
    mlmDense: [H, E],
    mlmBias: [V],
  };
  const params = new Map<string, tf.Variable>();
  let seed = 1;
  for (const [name, shape] of Object.entries(shapes)) {
    const init = name.endsWith('G') ? tf.ones(shape) : tf.randomNormal(shape, 0, 0.3, 'float32', seed++);
    params.set(name, tf.variable(init, true, `${tf.getBackend()}/${name}`));
    init.dispose();
  }
  return params;
}

function loss(
  p: Map<string, tf.Variable>,
  ids: tf.Tensor2D,
  types: tf.Tensor2D,
  mask: tf.Tensor2D,
  labels: tf.Tensor2D,
) {
  const P = (n: string) => p.get(n) as tf.Variable;
  const positions = tf.range(0, S, 1, 'int32');
  let x = tf.add(tf.add(tf.gather(P('word'), ids), tf.gather(P('pos'), positions)), tf.gather(P('type'), types)); // [B,S,E]
  x = layerNorm(x, P('embLnG'), P('embLnB'));
  const h = tf.add(tf.matMul(tf.reshape(x, [B * S, E]), P('proj')), P('projB')); // [B*S,H]
  const heads = (w: string) => tf.transpose(tf.reshape(tf.matMul(h, P(w)), [B, S, HEADS, H / HEADS]), [0, 2, 1, 3]);
  const scores = tf.mul(tf.matMul(heads('q'), heads('k'), false, true), 1 / Math.sqrt(H / HEADS)); // [B,heads,S,S]
  const additive = tf.mul(tf.sub(1, tf.cast(tf.reshape(mask, [B, 1, 1, S]), 'float32')), maskNegative());
  const probs = tf.softmax(tf.add(scores, additive));
  const ctx = tf.reshape(tf.transpose(tf.matMul(probs, heads('v')), [0, 2, 1, 3]), [B * S, H]);
  const a = layerNorm(tf.add(h, tf.matMul(ctx, P('o'))), P('attLnG'), P('attLnB'));
  const f = tf.matMul(geluTanh(tf.add(tf.matMul(a, P('ffn')), P('ffnB'))), P('ffnOut'));
  const out = layerNorm(tf.add(a, f), P('ffnLnG'), P('ffnLnB')); // [B*S,H]
  const pooled = tf.tanh(
    tf.add(
      tf.matMul(tf.reshape(tf.slice(tf.reshape(out, [B, S, H]), [0, 0, 0], [B, 1, H]), [B, H]), P('pool')),
      P('poolB'),
    ),
  );
  const mlmHidden = geluErf(tf.matMul(out, P('mlmDense'))); // [B*S,E]
  const logits = tf.add(tf.matMul(mlmHidden, P('word'), false, true), P('mlmBias')); // tied: [B*S,V]
  const flat = tf.reshape(labels, [B * S]);
  const valid = tf.cast(tf.notEqual(flat, -100), 'float32');
  const onehot = tf.oneHot(tf.maximum(flat, tf.scalar(0, 'int32')), V);
  const nll = tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1));
  const mlm = tf.div(tf.sum(tf.mul(nll, valid)), tf.sum(valid));
  return tf.add(mlm, tf.mul(0.01, tf.sum(tf.square(pooled)))) as tf.Scalar;
}

async function trainStepGrads(backend: string): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
  await initBackend({ prefer: backend as 'cpu' });
  const params = makeParams();
  const ids = tf.tensor2d(
    [
      [2, 7, 4, 9, 3, 0],
      [2, 11, 12, 39, 4, 3],
    ],
    [B, S],
    'int32',
  );
  const types = tf.tensor2d(
    [
      [0, 0, 0, 1, 1, 0],
      [0, 0, 1, 1, 1, 1],
    ],
    [B, S],
    'int32',
  );
  const mask = tf.tensor2d(
    [
      [1, 1, 1, 1, 1, 0],
      [1, 1, 1, 1, 1, 1],
    ],
    [B, S],
    'int32',
  );
  const labels = tf.tensor2d(
    [
      [-100, 5, -100, -100, -100, -100],
      [-100, -100, -100, 17, 30, -100],
    ],
    [B, S],
    'int32',
  );
  const step = () => tf.variableGrads(() => loss(params, ids, types, mask, labels));
  tf.dispose(step().grads); // warm up, then check that a step leaves nothing behind
  const before = tf.memory().numTensors;
  const { value, grads } = step();
  const result = { loss: (await value.data())[0] as number, grads: new Map<string, Float32Array>() };
  for (const [name, g] of Object.entries(grads))
    result.grads.set(name.split('/')[1] as string, (await g.data()) as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([ids, types, mask, labels, ...params.values()]);
  return result;
}

const backends = await testBackends();

describe('an ALBERT-like training step', () => {
  let reference: Awaited<ReturnType<typeof trainStepGrads>>;
  beforeAll(async () => {
    reference = await trainStepGrads('cpu');
  });

  it('has a finite loss and a gradient for every parameter on cpu', () => {
    expect(Number.isFinite(reference.loss)).toBe(true);
    expect(reference.loss).toBeGreaterThan(0);
    expect(reference.grads.size).toBe(22);
  });

  it.each(backends.filter((b) => b !== 'cpu'))('matches cpu on %s', async (backend) => {
    const got = await trainStepGrads(backend);
    expect(got.loss).toBeCloseTo(reference.loss, 4);
    for (const [name, ref] of reference.grads) {
      const g = got.grads.get(name);
      expect(g, name).toBeDefined();
      let worst = 0;
      for (let i = 0; i < ref.length; i++)
        worst = Math.max(
          worst,
          Math.abs(((g as Float32Array)[i] as number) - (ref[i] as number)) / (1e-3 + Math.abs(ref[i] as number)),
        );
      expect(worst, name).toBeLessThan(1e-3);
    }
  });
});
