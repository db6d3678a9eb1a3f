import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AlbertConfig, AlbertModel, albertParameterSpecs, initNormal, SeededRandom } from '../src/index.js';

const config = new AlbertConfig({
  vocabSize: 500,
  embeddingSize: 16,
  hiddenSize: 32,
  numHiddenLayers: 4,
  numHiddenGroups: 2,
  innerGroupNum: 2,
  numAttentionHeads: 4,
  intermediateSize: 64,
  maxPositionEmbeddings: 40,
  initializerRange: 0.02,
  padTokenId: 0,
});

function stats(values: Float32Array | Int32Array | Uint8Array): { mean: number; std: number } {
  let s = 0;
  for (const v of values) s += v;
  const mean = s / values.length;
  let q = 0;
  for (const v of values) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / values.length) };
}

describe('parameters and init', () => {
  it('one variable per HF tensor, shared across layer applications, no copies', async () => {
    await initBackend({ prefer: 'cpu' });
    const before = tf.memory().numTensors;
    const model = new AlbertModel(config, { seed: 1 });
    const specs = albertParameterSpecs(config);
    expect([...model.params.keys()]).toEqual(specs.map((s) => s.name));
    // 5 embedding tensors + mapping_in 2 + groups*inner layers of 16 tensors + pooler 2
    expect(model.params.size).toBe(5 + 2 + 2 * 2 * 16 + 2);
    expect(tf.memory().numTensors - before).toBe(model.params.size);
    for (const s of specs) expect(model.params.get(s.name)!.shape).toEqual(s.shape);
    expect(model.params.get('encoder.albert_layer_groups.1.albert_layers.1.ffn.weight')!.shape).toEqual([32, 64]);
    expect(model.params.get('encoder.embedding_hidden_mapping_in.weight')!.shape).toEqual([16, 32]); // [in, out]
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('initialises as HF _init_weights: normal(0, range), zero bias, LayerNorm 1/0, zero pad row', async () => {
    await initBackend({ prefer: 'cpu' });
    const model = new AlbertModel(config.with({ initializerRange: 0.05 }), { seed: 7 });
    const ffn = stats(model.params.get('encoder.albert_layer_groups.0.albert_layers.0.ffn.weight')!.dataSync());
    expect(Math.abs(ffn.mean)).toBeLessThan(0.005);
    expect(ffn.std).toBeGreaterThan(0.045);
    expect(ffn.std).toBeLessThan(0.055);
    const words = model.params.get('embeddings.word_embeddings.weight')!.dataSync();
    expect(Array.from(words.slice(0, 16))).toEqual(new Array(16).fill(0)); // pad row 0
    expect(stats(words.slice(16)).std).toBeGreaterThan(0.045);
    expect(new Set(model.params.get('pooler.bias')!.dataSync())).toEqual(new Set([0]));
    expect(new Set(model.params.get('embeddings.LayerNorm.weight')!.dataSync())).toEqual(new Set([1]));
    expect(new Set(model.params.get('embeddings.LayerNorm.bias')!.dataSync())).toEqual(new Set([0]));
    model.dispose();
  });

  it('same seed gives the same weights on cpu and wasm; another seed differs', async () => {
    await initBackend({ prefer: 'cpu' });
    const a = new AlbertModel(config, { seed: 3 });
    const aw = a.params.get('encoder.albert_layer_groups.1.albert_layers.0.attention.key.weight')!.dataSync().slice();
    const b = new AlbertModel(config, { seed: 4 });
    const bw = b.params.get('encoder.albert_layer_groups.1.albert_layers.0.attention.key.weight')!.dataSync();
    expect(aw).not.toEqual(bw);
    a.dispose();
    b.dispose();
    await initBackend({ prefer: 'wasm' });
    const c = new AlbertModel(config, { seed: 3 });
    expect(c.params.get('encoder.albert_layer_groups.1.albert_layers.0.attention.key.weight')!.dataSync()).toEqual(aw);
    c.dispose();
    const t = initNormal([2, 3], 1, 42);
    expect(t.shape).toEqual([2, 3]);
    t.dispose();
  });

  it('SeededRandom normals have mean 0 and std 1', () => {
    const rng = new SeededRandom(11);
    const values = Float32Array.from({ length: 20000 }, () => rng.normal());
    const { mean, std } = stats(values);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 1)).toBeLessThan(0.03);
  });
});
