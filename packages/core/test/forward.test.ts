import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AlbertConfig, AlbertModel, dropout, ModelInputError } from '../src/index.js';

const config = new AlbertConfig({
  vocabSize: 100,
  embeddingSize: 8,
  hiddenSize: 16,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 24,
  maxPositionEmbeddings: 12,
});

const ids = () =>
  tf.tensor2d(
    [
      [2, 7, 9, 11, 3, 0],
      [2, 5, 3, 8, 8, 3],
    ],
    [2, 6],
    'int32',
  );
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('AlbertModel.forward', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
  });

  it('defaults: tokenTypeIds zeros, attentionMask ones; shapes', () => {
    const model = new AlbertModel(config, { seed: 1 });
    const inputIds = ids();
    const zeros = tf.zeros([2, 6], 'int32') as tf.Tensor2D;
    const ones = tf.ones([2, 6], 'int32') as tf.Tensor2D;
    const a = model.forward({ inputIds });
    const b = model.forward({ inputIds, tokenTypeIds: zeros, attentionMask: ones });
    expect(a.lastHiddenState.shape).toEqual([2, 6, 16]);
    expect(a.poolerOutput!.shape).toEqual([2, 16]);
    expect(a.hiddenStates).toBeUndefined();
    expect(maxDiff(a.lastHiddenState, b.lastHiddenState)).toBe(0);
    const types = tf.tensor2d(
      [
        [0, 0, 0, 1, 1, 1],
        [0, 0, 0, 0, 1, 1],
      ],
      [2, 6],
      'int32',
    );
    const c = model.forward({ inputIds, tokenTypeIds: types as tf.Tensor2D });
    expect(maxDiff(a.lastHiddenState, c.lastHiddenState)).toBeGreaterThan(1e-3);
    // Padding a row does not change its real positions' outputs.
    const mask = tf.tensor2d(
      [
        [1, 1, 1, 1, 1, 0],
        [1, 1, 1, 1, 1, 1],
      ],
      [2, 6],
      'int32',
    ) as tf.Tensor2D;
    const masked = model.forward({ inputIds, attentionMask: mask });
    const short = model.forward({ inputIds: tf.slice(inputIds, [0, 0], [1, 5]) as tf.Tensor2D });
    expect(maxDiff(tf.slice(masked.lastHiddenState, [0, 0, 0], [1, 5, 16]), short.lastHiddenState)).toBeLessThan(1e-5);
    tf.dispose([a, b, c, masked, short, inputIds, zeros, ones, types, mask]);
    model.dispose();
  });

  it('clear errors for bad inputs', () => {
    const model = new AlbertModel(config, { seed: 1 });
    const long = tf.zeros([1, 13], 'int32') as tf.Tensor2D;
    expect(() => model.forward({ inputIds: long })).toThrow(ModelInputError);
    expect(() => model.forward({ inputIds: long })).toThrow(/13 positions but .*max_position_embeddings = 12/);
    const floats = tf.zeros([1, 4]) as tf.Tensor2D;
    expect(() => model.forward({ inputIds: floats })).toThrow(/inputIds must be int32; got float32/);
    const rank1 = tf.zeros([4], 'int32') as unknown as tf.Tensor2D;
    expect(() => model.forward({ inputIds: rank1 })).toThrow(/inputIds must have shape \[batch, seq\]; got \[4\]/);
    const inputIds = ids();
    const badMask = tf.ones([2, 5], 'int32') as tf.Tensor2D;
    expect(() => model.forward({ inputIds, attentionMask: badMask })).toThrow(
      /attentionMask must have the shape of inputIds \[2,6\]; got \[2,5\]/,
    );
    expect(() => model.forward({ inputIds: [[1, 2]] as unknown as tf.Tensor2D })).toThrow(/must be a tf.Tensor/);
    const outOfVocab = tf.tensor2d([[2, 5, 100]], [1, 3], 'int32') as tf.Tensor2D;
    expect(() => model.forward({ inputIds: outOfVocab })).toThrow(
      /inputIds\[0\]\[2\] = 100 is outside \[0, 100\) \(config vocab_size = 100\)/,
    );
    const badTypes = tf.tensor2d([[0, 1, 2]], [1, 3], 'int32') as tf.Tensor2D;
    expect(() =>
      model.forward({ inputIds: tf.slice(ids(), [0, 0], [1, 3]) as tf.Tensor2D, tokenTypeIds: badTypes }),
    ).toThrow(/tokenTypeIds\[0\]\[2\] = 2 is outside \[0, 2\)/);
    tf.dispose([outOfVocab, badTypes]);
    tf.dispose([long, floats, rank1, inputIds, badMask]);
    model.dispose();
  });

  it('tf.memory().numTensors is unchanged after 100 forward calls', () => {
    const model = new AlbertModel(config, { seed: 1 });
    const inputIds = ids();
    tf.dispose(model.forward({ inputIds })); // warm up
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      const out = model.forward(
        { inputIds },
        { outputAttentions: i % 2 === 0, outputHiddenStates: i % 3 === 0, training: i % 5 === 0 },
      );
      tf.dispose(out);
    }
    expect(tf.memory().numTensors).toBe(before);
    inputIds.dispose();
    model.dispose();
  });

  it('peak memory holds one layer of activations unless outputs are requested', async () => {
    const deep = new AlbertModel(config.with({ numHiddenLayers: 8, maxPositionEmbeddings: 64 }), { seed: 1 });
    const inputIds = tf.zeros([4, 64], 'int32') as tf.Tensor2D;
    const peak = async (outputAttentions: boolean) =>
      (
        await tf.profile(() => {
          const out = deep.forward({ inputIds }, { outputAttentions });
          return out.lastHiddenState;
        })
      ).peakBytes;
    const lean = await peak(false);
    const full = await peak(true);
    const probsBytes = 4 * 2 * 64 * 64 * 4; // [batch 4, heads 2, 64, 64] float32
    expect(full - lean).toBeGreaterThan(6 * probsBytes); // 8 maps kept vs ~1 alive at a time
    inputIds.dispose();
    deep.dispose();
  });

  it('dropout only in training mode, seeded', () => {
    const model = new AlbertModel(config.with({ hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1 }), { seed: 1 });
    const inputIds = ids();
    const evalA = model.forward({ inputIds });
    const evalB = model.forward({ inputIds }, { training: false, seed: 5 });
    const trainA = model.forward({ inputIds }, { training: true, seed: 5 });
    const trainB = model.forward({ inputIds }, { training: true, seed: 5 });
    const trainC = model.forward({ inputIds }, { training: true, seed: 6 });
    expect(maxDiff(evalA.lastHiddenState, evalB.lastHiddenState)).toBe(0);
    expect(maxDiff(evalA.lastHiddenState, trainA.lastHiddenState)).toBeGreaterThan(1e-3);
    expect(maxDiff(trainA.lastHiddenState, trainB.lastHiddenState)).toBe(0);
    expect(maxDiff(trainA.lastHiddenState, trainC.lastHiddenState)).toBeGreaterThan(1e-3);
    tf.dispose([evalA, evalB, trainA, trainB, trainC, inputIds]);
    model.dispose();
  });

  it('dropout keeps 1-rate of the values, scaled by 1/(1-rate)', () => {
    const n = 100_000;
    const x = tf.ones([n]);
    let seed = 0;
    const ctx = { training: true, nextSeed: () => seed++ };
    for (const rate of [0.1, 0.5]) {
      const y = dropout(x, rate, ctx).dataSync();
      let kept = 0;
      let badScale = 0;
      for (const v of y) {
        if (v === 0) continue;
        kept++;
        if (Math.abs(v - 1 / (1 - rate)) > 1e-6) badScale++;
      }
      expect(badScale).toBe(0);
      // binomial std of the kept fraction is sqrt(p(1-p)/n) <= 0.0016; allow 5 sigma
      expect(Math.abs(kept / n - (1 - rate))).toBeLessThan(0.008);
    }
    expect(dropout(x, 0.5, { training: false, nextSeed: () => 0 })).toBe(x);
    x.dispose();
  });
});
