// The fused-kernel contract (packages/common/CONTRACTS.md): when the backend registers AlbertLayerNorm {x, gamma,
// beta} {epsilon}, AlbertGelu {x} or AlbertGeluNew {x}, core's ops run them instead of the
// composites. Here the three kernels are implemented in plain JavaScript for the cpu backend
// (as a backend would register them), and the whole model must still match Hugging Face.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbertModel, gelu, geluNew, hasFusedKernel, layerNorm } from '../src/index.js';
import { compare, ioTensor, loadCase } from './helpers/fixtures.js';

type CpuBackend = {
  readSync(id: unknown): Float32Array;
  makeTensorInfo(shape: number[], dtype: string, v: Float32Array): tf.TensorInfo;
};
const calls: Record<string, number> = { AlbertLayerNorm: 0, AlbertGelu: 0, AlbertGeluNew: 0 };

function unary(name: string, f: (v: number) => number): tf.KernelConfig {
  return {
    kernelName: name,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      calls[name]!++;
      const { x } = inputs as { x: tf.TensorInfo };
      const cpu = backend as unknown as CpuBackend;
      return cpu.makeTensorInfo(x.shape, 'float32', cpu.readSync(x.dataId).map(f));
    },
  };
}

// erf by Abramowitz-Stegun 7.1.26 (absolute error < 1.5e-7): plenty for float32 GELU at the
// fixtures' 1e-4 tolerance; a real backend would use its libm erf.
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return Math.sign(x) * y;
}

const kernels: tf.KernelConfig[] = [
  unary('AlbertGelu', (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))),
  unary('AlbertGeluNew', (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))),
  {
    kernelName: 'AlbertLayerNorm',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      calls.AlbertLayerNorm!++;
      const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
      const cpu = backend as unknown as CpuBackend;
      const [xv, g, b] = [cpu.readSync(x.dataId), cpu.readSync(gamma.dataId), cpu.readSync(beta.dataId)];
      const n = x.shape[x.shape.length - 1]!;
      const out = new Float32Array(xv.length);
      for (let r = 0; r < xv.length; r += n) {
        let mean = 0;
        for (let i = 0; i < n; i++) mean += xv[r + i]!;
        mean /= n;
        let variance = 0;
        for (let i = 0; i < n; i++) variance += (xv[r + i]! - mean) ** 2;
        const inv = 1 / Math.sqrt(variance / n + (attrs as { epsilon: number }).epsilon);
        for (let i = 0; i < n; i++) out[r + i] = (xv[r + i]! - mean) * inv * g[i]! + b[i]!;
      }
      return cpu.makeTensorInfo(x.shape, 'float32', out);
    },
  },
];

describe('fused kernels are used when the backend registers them', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
    for (const k of kernels) tf.registerKernel(k);
  });
  afterAll(() => {
    for (const k of kernels) tf.unregisterKernel(k.kernelName, 'cpu');
  });

  it('dispatches layerNorm, gelu and geluNew to the kernels', () => {
    expect(hasFusedKernel('AlbertLayerNorm') && hasFusedKernel('AlbertGelu') && hasFusedKernel('AlbertGeluNew')).toBe(
      true,
    );
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const before = { ...calls };
    const ln = layerNorm(x, tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D, 1e-12);
    const g = gelu(x);
    const gn = geluNew(x);
    expect(calls.AlbertLayerNorm).toBe(before.AlbertLayerNorm! + 1);
    expect(calls.AlbertGelu).toBe(before.AlbertGelu! + 1);
    expect(calls.AlbertGeluNew).toBe(before.AlbertGeluNew! + 1);
    expect(Array.from(ln.dataSync())).toEqual([
      expect.closeTo(-1.3416, 3),
      expect.closeTo(-0.4472, 3),
      expect.closeTo(0.4472, 3),
      expect.closeTo(1.3416, 3),
    ]);
    expect(g.dataSync()[0]).toBeCloseTo(0.841345, 5);
    expect(gn.dataSync()[0]).toBeCloseTo(0.841192, 5);
    tf.dispose([x, ln, g, gn]);
  });

  it.each(['tiny-pretraining', 'tiny-groups'] as const)('%s still matches Hugging Face', async (name) => {
    const c = loadCase(name);
    const model = await AlbertModel.fromPretrained(c.dir, { warn: () => {} });
    const before = { ...calls };
    const inputs = {
      inputIds: ioTensor(c, 'input_ids') as tf.Tensor2D,
      attentionMask: ioTensor(c, 'attention_mask') as tf.Tensor2D,
      tokenTypeIds: ioTensor(c, 'token_type_ids') as tf.Tensor2D,
    };
    const out = model.forward(inputs);
    const applications = model.config.numHiddenLayers * model.config.innerGroupNum;
    expect(calls.AlbertLayerNorm).toBe(before.AlbertLayerNorm! + 1 + 2 * applications);
    const act = model.config.hiddenAct === 'gelu' ? 'AlbertGelu' : 'AlbertGeluNew';
    expect(calls[act]).toBe(before[act]! + applications);
    const ref = ioTensor(c, 'last_hidden_state');
    expect(compare(out.lastHiddenState, ref, c.meta.tolerances.hidden).ok).toBe(true);
    tf.dispose([out, ref, inputs]);
    model.dispose();
  });
});
