// Gradients through AlbertModel on each Node backend. (Gradient parity with HF for the task
// losses is checked by the pretraining and heads packages with grads.safetensors.)
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { AlbertModel } from '../src/index.js';
import { ioTensor, loadCase } from './helpers/fixtures.js';

const results: Record<string, Map<string, Float32Array>> = {};

const BACKENDS = await testBackends();

describe.each(BACKENDS)('gradients on %s', (backend) => {
  it('tf.variableGrads of sum(lastHiddenState) reaches every parameter', async () => {
    await initBackend({ prefer: backend });
    const c = loadCase('tiny-pretraining');
    const model = await AlbertModel.fromPretrained(c.dir, { warn: () => {} });
    const inputIds = ioTensor(c, 'input_ids') as tf.Tensor2D;
    const attentionMask = ioTensor(c, 'attention_mask') as tf.Tensor2D;
    const tokenTypeIds = ioTensor(c, 'token_type_ids') as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => {
      const out = model.forward({ inputIds, attentionMask, tokenTypeIds });
      return tf.add(tf.sum(out.lastHiddenState), tf.sum(out.poolerOutput!)) as tf.Scalar;
    });
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const names = [...model.params.keys()];
    const byVariable = new Map([...model.params].map(([n, v]) => [v.name, n]));
    expect(
      Object.keys(grads)
        .map((k) => byVariable.get(k))
        .sort(),
    ).toEqual([...names].sort());
    const g = new Map<string, Float32Array>();
    for (const [k, t] of Object.entries(grads)) {
      const name = byVariable.get(k)!;
      expect(t.shape).toEqual(model.params.get(name)!.shape);
      g.set(name, t.dataSync() as Float32Array);
    }
    const E = model.config.embeddingSize;
    const words = g.get('embeddings.word_embeddings.weight')!;
    // padding_idx 0 appears in the inputs but gets no gradient (torch nn.Embedding rule) ...
    expect(inputIds.dataSync().includes(0)).toBe(true);
    expect(Array.from(words.slice(0, E)).every((v) => v === 0)).toBe(true);
    // ... while a token that is present does, and an absent one does not.
    const present = inputIds.dataSync()[1]!;
    expect(words.slice(present * E, (present + 1) * E).some((v) => v !== 0)).toBe(true);
    const idsSet = new Set(inputIds.dataSync());
    const absent = [...Array(model.config.vocabSize).keys()].find((i) => !idsSet.has(i))!;
    expect(Array.from(words.slice(absent * E, (absent + 1) * E)).every((v) => v === 0)).toBe(true);
    // Positions past the sequence length get zero gradient.
    const pos = g.get('embeddings.position_embeddings.weight')!;
    expect(Array.from(pos.slice(24 * E)).every((v) => v === 0)).toBe(true);
    expect(Array.from(g.get('encoder.albert_layer_groups.0.albert_layers.0.ffn.weight')!).some((v) => v !== 0)).toBe(
      true,
    );
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    results[backend] = g;
    tf.dispose([inputIds, attentionMask, tokenTypeIds]);
    model.dispose();
  });
});

describe('gradients agree across backends', () => {
  it.each(BACKENDS.filter((b) => b !== 'cpu'))('%s gradients match cpu to float32 precision', (backend) => {
    const cpu = results.cpu!;
    const other = results[backend]!;
    let worst = 0;
    for (const [name, a] of cpu) {
      const b = other.get(name)!;
      for (let i = 0; i < a.length; i++) {
        const d = Math.abs(a[i]! - b[i]!) / (1 + Math.abs(a[i]!));
        if (d > worst) worst = d;
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });
});
