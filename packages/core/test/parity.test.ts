// AlbertModel vs Hugging Face transformers (PyTorch) on every shared tiny case, on each Node
// backend: last_hidden_state, pooler_output, every hidden_states.K and attentions.K.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { AlbertModel } from '../src/index.js';
import { CASES, compare, ioTensor, loadCase } from './helpers/fixtures.js';

// Every backend this machine provides (cpu and wasm always; native when its addon is built).
// ALBERT_TS_BACKENDS=cpu,wasm narrows the list.
const BACKENDS = await testBackends();
const errors: Record<string, Record<string, number>> = {};

describe.each(BACKENDS)('HF parity on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });
  afterAll(() => {
    console.log(`max abs error on ${backend}:`, JSON.stringify(errors[backend]));
  });

  it.each(CASES)('%s matches every output', async (name) => {
    expect(tf.getBackend()).toBe(backend);
    const c = loadCase(name);
    const warnings: string[] = [];
    const model = await AlbertModel.fromPretrained(c.dir, { warn: (m) => warnings.push(m) });
    const inputs = {
      inputIds: ioTensor(c, 'input_ids', true) as tf.Tensor2D,
      attentionMask: ioTensor(c, 'attention_mask', true) as tf.Tensor2D,
      tokenTypeIds: ioTensor(c, 'token_type_ids', true) as tf.Tensor2D,
    };
    const before = tf.memory().numTensors;
    const out = model.forward(inputs, { outputHiddenStates: true, outputAttentions: true });
    const { hidden, attentions } = c.meta.tolerances;
    const results: [string, tf.Tensor, typeof hidden][] = [['last_hidden_state', out.lastHiddenState, hidden]];
    const hasPooler = c.io.tensors.has('pooler_output');
    if (hasPooler) results.push(['pooler_output', out.poolerOutput!, hidden]);
    const nHidden = [...c.io.tensors.keys()].filter((k) => k.startsWith('hidden_states.')).length;
    const nAttn = [...c.io.tensors.keys()].filter((k) => k.startsWith('attentions.')).length;
    expect(out.hiddenStates!.length).toBe(nHidden);
    expect(out.attentions!.length).toBe(nAttn);
    for (const [k, t] of out.hiddenStates!.entries()) results.push([`hidden_states.${k}`, t, hidden]);
    for (const [k, t] of out.attentions!.entries()) results.push([`attentions.${k}`, t, attentions]);
    let worst = 0;
    for (const [key, ours, tol] of results) {
      const ref = ioTensor(c, key);
      const { maxAbs, ok } = compare(ours, ref, tol);
      ref.dispose();
      worst = Math.max(worst, maxAbs);
      expect(ok, `${name} ${key}: max abs error ${maxAbs}`).toBe(true);
    }
    // Padded keys get probability exactly 0, as with HF's finfo(float32).min mask.
    const mask = inputs.attentionMask.dataSync();
    const probs = out.attentions![0]!;
    const [b, h, s] = probs.shape;
    const p = probs.dataSync();
    let zeros = 0;
    for (let i = 0; i < b; i++)
      for (let j = 0; j < h * s; j++)
        for (let k = 0; k < s; k++) if (mask[i * s + k] === 0) zeros += p[(i * h * s + j) * s + k] === 0 ? 1 : 100;
    expect(zeros).toBe(mask.filter((m) => m === 0).length * h * s);
    errors[backend] ??= {};
    errors[backend][name] = worst;
    tf.dispose(out);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(inputs);
    expect(warnings.some((w) => w.includes('not used'))).toBe(c.meta.hf_class !== 'AlbertModel');
    if (!hasPooler) expect(warnings.some((w) => w.includes('pooler.weight'))).toBe(true);
    model.dispose();
  });
});
