// The fused AlbertSelfAttention kernel (packages/common/CONTRACTS.md) on the native backend: an inference forward
// that does not ask for attentions runs it once per layer application (and no head transposes)
// and still matches Hugging Face; asking for attentions, training with dropout or recording
// gradients runs the composite. numTensors and the packed-QKV cache stay flat over repeated
// forwards and the cache is empty again once the model is disposed.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { AlbertConfig, AlbertModel, hasFusedKernel } from '../src/index.js';
import { CASES, compare, type GoldenCase, ioTensor, loadCase } from './helpers/fixtures.js';

// testBackends(): a missing native addon fails the run under CI=true (locally: a printed skip).
const BACKENDS = await testBackends();

interface PackCache {
  packedCacheBytes(): number;
  packedQkvBytes(): number;
}

function inputsOf(c: GoldenCase) {
  return {
    inputIds: ioTensor(c, 'input_ids', true) as tf.Tensor2D,
    attentionMask: ioTensor(c, 'attention_mask', true) as tf.Tensor2D,
    tokenTypeIds: ioTensor(c, 'token_type_ids', true) as tf.Tensor2D,
  };
}

/** Kernel name -> calls while `f` runs. */
async function kernelCalls(f: () => tf.TensorContainer): Promise<Map<string, number>> {
  const info = await tf.profile(f);
  const calls = new Map<string, number>();
  for (const k of info.kernels) calls.set(k.name, (calls.get(k.name) ?? 0) + 1);
  return calls;
}

describe.runIf(BACKENDS.includes('native'))('fused self-attention on the native backend', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'native' });
  });

  it('registers the kernel', () => {
    expect(tf.getBackend()).toBe('native');
    expect(hasFusedKernel('AlbertSelfAttention')).toBe(true);
  });

  it.each(CASES)('%s: runs the kernel once per layer and matches Hugging Face', async (name) => {
    const c = loadCase(name);
    const cache = tf.backend() as unknown as PackCache;
    const qkvBefore = cache.packedQkvBytes();
    const bytesBefore = cache.packedCacheBytes();
    const model = await AlbertModel.fromPretrained(c.dir, { warn: () => {} });
    const inputs = inputsOf(c);
    const applications = model.config.numHiddenLayers * model.config.innerGroupNum;
    let out = model.forward(inputs);
    const calls = await kernelCalls(() => {
      tf.dispose(out);
      out = model.forward(inputs);
      return [];
    });
    expect(calls.get('AlbertSelfAttention')).toBe(applications);
    expect(calls.get('Transpose') ?? 0).toBe(0);
    expect(calls.get('AlbertMaskedSoftmax') ?? 0).toBe(0);
    const { hidden } = c.meta.tolerances;
    const ref = ioTensor(c, 'last_hidden_state');
    const { maxAbs, ok } = compare(out.lastHiddenState, ref, hidden);
    expect(ok, `${name} last_hidden_state: max abs error ${maxAbs}`).toBe(true);
    if (c.io.tensors.has('pooler_output')) {
      const refPool = ioTensor(c, 'pooler_output');
      expect(compare(out.poolerOutput!, refPool, hidden).ok).toBe(true);
      refPool.dispose();
    }
    ref.dispose();
    tf.dispose(out);

    // One packed [Wq | Wk | Wv] per attention weight group, then flat.
    const groups = model.config.numHiddenGroups * model.config.innerGroupNum;
    const qkvBytes = cache.packedQkvBytes() - qkvBefore;
    const packedBytes = cache.packedCacheBytes() - bytesBefore;
    const h = model.config.hiddenSize;
    expect(qkvBytes).toBeGreaterThanOrEqual(groups * 3 * h * h * 4);
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(model.forward(inputs));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(cache.packedQkvBytes() - qkvBefore).toBe(qkvBytes);
    expect(cache.packedCacheBytes() - bytesBefore).toBe(packedBytes);

    tf.dispose(inputs);
    model.dispose();
    expect(cache.packedQkvBytes()).toBe(qkvBefore);
    expect(cache.packedCacheBytes()).toBe(bytesBefore);
  });

  it('runs the composite when attentions are requested, in training with dropout, and under a gradient tape', async () => {
    const c = loadCase('tiny-pretraining');
    const model = await AlbertModel.fromPretrained(c.dir, { warn: () => {} });
    const inputs = inputsOf(c);
    const fusedCalls = async (f: () => tf.TensorContainer) => (await kernelCalls(f)).get('AlbertSelfAttention') ?? 0;

    // Attentions requested: the probabilities exist, so no fused kernel.
    let withAttentions: ReturnType<AlbertModel['forward']> | undefined;
    expect(
      await fusedCalls(() => {
        withAttentions = model.forward(inputs, { outputAttentions: true });
        return [];
      }),
    ).toBe(0);
    const plain = model.forward(inputs);
    // Same last hidden state either way (the fused and composite paths agree closely).
    expect(compare(plain.lastHiddenState, withAttentions!.lastHiddenState, { atol: 1e-5, rtol: 1e-5 }).ok).toBe(true);
    tf.dispose([plain, withAttentions]);

    // Attention dropout active only in training mode with a non-zero rate.
    const withDropout = new AlbertModel(
      AlbertConfig.fromJSON({ ...model.config.toJSON(), attention_probs_dropout_prob: 0.1 }),
      { seed: 5 },
    );
    const forwardWith = (m: AlbertModel, training: boolean) => () =>
      tf.dispose(m.forward(inputs, { training, seed: 3 }));
    expect(await fusedCalls(forwardWith(withDropout, true))).toBe(0);
    expect(await fusedCalls(forwardWith(withDropout, false))).toBe(4);
    expect(await fusedCalls(forwardWith(model, true))).toBe(4); // rate 0: nothing to drop
    withDropout.dispose();

    const word = model.params.get('encoder.embedding_hidden_mapping_in.weight')!;
    expect(
      await fusedCalls(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(model.forward(inputs).lastHiddenState), [word]);
        tf.dispose([value, ...Object.values(grads)]);
      }),
    ).toBe(0);

    tf.dispose(inputs);
    model.dispose();
  });
});
