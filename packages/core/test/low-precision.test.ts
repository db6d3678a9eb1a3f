// AlbertModel / task models with dtype 'q8' and 'bf16' (@albert-ts/common's CONTRACTS.md,
// "Low-precision weights"): on the native backend the encoder's Linear layers run the q8 / bf16
// kernels (counted with tf.profile) and the outputs stay close to Hugging Face's fp32 outputs;
// a backend without the kernels runs fp32 and says so; gradients always use fp32; numTensors
// stays flat over 1000 q8 forwards.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import {
  type AlbertInputs,
  AlbertModel,
  AlbertPreTrainedModel,
  ConfigError,
  linear,
  registerTaskModel,
  type TaskModelSpec,
} from '../src/index.js';
import { ioTensor, loadCase } from './helpers/fixtures.js';

const BACKENDS = await testBackends();

function inputsOf(name: 'tiny-seqcls' | 'tiny-groups' | 'tiny-qa'): AlbertInputs & { ref: tf.Tensor } {
  const c = loadCase(name);
  return {
    inputIds: ioTensor(c, 'input_ids', true) as tf.Tensor2D,
    attentionMask: ioTensor(c, 'attention_mask', true) as tf.Tensor2D,
    tokenTypeIds: ioTensor(c, 'token_type_ids', true) as tf.Tensor2D,
    ref: ioTensor(c, 'last_hidden_state'),
  };
}

function errors(ours: tf.Tensor, ref: tf.Tensor): { max: number; rms: number; refRms: number } {
  const a = ours.dataSync();
  const b = ref.dataSync();
  let max = 0;
  let se = 0;
  let sr = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (!(d <= max)) max = d;
    se += d * d;
    sr += (b[i] as number) ** 2;
  }
  return { max, rms: Math.sqrt(se / a.length), refRms: Math.sqrt(sr / a.length) };
}

async function kernelCalls(f: () => tf.TensorContainer): Promise<Map<string, number>> {
  const info = await tf.profile(f);
  const calls = new Map<string, number>();
  for (const k of info.kernels) calls.set(k.name, (calls.get(k.name) ?? 0) + 1);
  return calls;
}

type Logits = { logits: tf.Tensor2D };
class TinyClassifier extends AlbertPreTrainedModel<AlbertInputs, Logits> {
  static readonly spec: TaskModelSpec = {
    architecture: 'TestLowPrecisionClassifier',
    pooler: true,
    headSpecs: (config) => [
      { name: 'classifier.weight', shape: [config.hiddenSize, config.numLabels], init: 'normal' },
      { name: 'classifier.bias', shape: [config.numLabels], init: 'zeros' },
    ],
  };
  static {
    registerTaskModel(TinyClassifier);
  }
  forward(inputs: AlbertInputs): Logits {
    return tf.tidy(() => {
      const { encoded } = this.encode(inputs, {});
      const pooled = encoded.poolerOutput as tf.Tensor2D;
      return { logits: linear(pooled, this.param('classifier.weight'), this.param('classifier.bias')) };
    });
  }
}

// HF's fp32 output has rms ~1 (after the last LayerNorm). Measured vs HF on the three cases:
// q8 max 0.044-0.119, rms 0.011-0.035; bf16 max 0.017-0.075, rms 0.005-0.017 (the tiny models
// have 16-37 wide layers, so bf16's rounding of the activations weighs almost as much as int8's).
const BOUNDS = { q8: { max: 0.2, rms: 0.05 }, bf16: { max: 0.12, rms: 0.03 } } as const;

describe.runIf(BACKENDS.includes('native'))('dtype q8 / bf16 on the native backend', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'native' });
  });

  describe.each(['q8', 'bf16'] as const)('%s', (dtype) => {
    const kernel = dtype === 'q8' ? 'AlbertLinearQ8' : 'AlbertLinearBf16';
    const attention = dtype === 'q8' ? 'AlbertSelfAttentionQ8' : 'AlbertSelfAttentionBf16';

    it.each(['tiny-seqcls', 'tiny-groups', 'tiny-qa'] as const)(
      `%s: runs every encoder Linear in ${dtype}, close to HF fp32`,
      async (name) => {
        const c = loadCase(name);
        const model = await AlbertModel.fromPretrained(c.dir, { dtype, warn: () => {} });
        expect(model.dtype).toBe(dtype);
        const { ref, ...inputs } = inputsOf(name);
        const applications = model.config.numHiddenLayers * model.config.innerGroupNum;
        let out = model.forward(inputs);
        const calls = await kernelCalls(() => {
          tf.dispose(out);
          out = model.forward(inputs);
          return [];
        });
        // embedding projection + (attention output, ffn, ffn_output) per layer application
        expect(calls.get(kernel)).toBe(1 + 3 * applications);
        expect(calls.get(attention)).toBe(applications);
        expect(calls.get('AlbertSelfAttention') ?? 0).toBe(0);
        const e = errors(out.lastHiddenState, ref);
        expect(e.max, JSON.stringify(e)).toBeLessThan(BOUNDS[dtype].max);
        expect(e.rms, JSON.stringify(e)).toBeLessThan(BOUNDS[dtype].rms);
        expect(e.max).toBeGreaterThan(0); // really ran in low precision
        tf.dispose([out, ref, inputs]);
        model.dispose();
      },
    );

    it('task models take dtype (fromPretrained and new), heads stay fp32', async () => {
      const c = loadCase('tiny-seqcls');
      const fp32 = await TinyClassifier.fromPretrained(c.dir);
      const low = await TinyClassifier.fromPretrained(c.dir, { dtype });
      expect(fp32.albert.dtype).toBe('fp32');
      expect(low.albert.dtype).toBe(dtype);
      const { ref, ...inputs } = inputsOf('tiny-seqcls');
      const a = fp32.forward(inputs).logits;
      const b = low.forward(inputs).logits;
      const e = errors(b, a);
      expect(e.max).toBeGreaterThan(0);
      expect(e.max).toBeLessThan(dtype === 'q8' ? 0.1 : 0.02);
      const built = new TinyClassifier(fp32.config, { dtype, seed: 1 });
      expect(built.albert.dtype).toBe(dtype);
      tf.dispose([a, b, ref, inputs]);
      for (const m of [fp32, low, built]) m.dispose();
    });
  });

  it('gradients use the fp32 weights (same as an fp32 model), setDtype re-packs and drops', async () => {
    const c = loadCase('tiny-seqcls');
    const fp32 = await AlbertModel.fromPretrained(c.dir);
    const q8 = await AlbertModel.fromPretrained(c.dir, { dtype: 'q8' });
    const { ref, ...inputs } = inputsOf('tiny-seqcls');
    const grad = (m: AlbertModel) =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(m.forward(inputs).lastHiddenState, x)))(tf.onesLike(ref)) as tf.Tensor;
    // d/dx sum(h * x) = h: the recorded (fp32) forward, bit for bit
    const gq = grad(q8);
    const gf = grad(fp32);
    expect(errors(gq, gf).max).toBe(0);
    expect(q8.setDtype('fp32')).toBe('fp32');
    expect(errors(q8.forward(inputs).lastHiddenState, fp32.forward(inputs).lastHiddenState).max).toBe(0);
    expect(q8.setDtype('bf16')).toBe('bf16');
    expect(() => q8.setDtype('int4' as 'q8')).toThrow(ConfigError);
    tf.dispose([gq, gf, ref, inputs]);
    fp32.dispose();
    q8.dispose();
  });

  it('numTensors stays flat over 1000 q8 forwards and returns to the start after dispose', async () => {
    const c = loadCase('tiny-groups');
    const before = tf.memory().numTensors;
    const model = await AlbertModel.fromPretrained(c.dir, { dtype: 'q8', warn: () => {} });
    const { ref, ...inputs } = inputsOf('tiny-groups');
    tf.dispose(model.forward(inputs));
    const start = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) {
      const out = model.forward(inputs);
      out.lastHiddenState.dataSync();
      tf.dispose(out);
    }
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([ref, inputs]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a backend without the low-precision kernels', () => {
  let backend = '';
  beforeAll(async () => {
    backend = tf.getBackend();
    await initBackend({ prefer: 'cpu' });
  });
  afterAll(async () => {
    if (backend) await tf.setBackend(backend);
  });

  it.each(['q8', 'bf16'] as const)('runs fp32 with a notice for dtype %s', async (dtype) => {
    const c = loadCase('tiny-seqcls');
    const notices: string[] = [];
    const model = await AlbertModel.fromPretrained(c.dir, { dtype, warn: (m) => notices.push(m) });
    expect(model.dtype).toBe('fp32');
    expect(notices.filter((m) => m.includes(`dtype '${dtype}' is not available on the 'cpu' backend`))).toHaveLength(1);
    const fp32 = await AlbertModel.fromPretrained(c.dir);
    const { ref, ...inputs } = inputsOf('tiny-seqcls');
    expect(errors(model.forward(inputs).lastHiddenState, fp32.forward(inputs).lastHiddenState).max).toBe(0);
    tf.dispose([ref, inputs]);
    model.dispose();
    fp32.dispose();
  });
});
