import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AlbertError,
  availableBackends,
  BackendError,
  formatBackendReport,
  hasGradient,
  initBackend,
  MASK_NEGATIVE_FP32,
  maskNegative,
  registerBackendProvider,
} from './index.js';
import { defaultProviders } from './providers.js';

describe('initBackend', () => {
  afterEach(() => {
    const native = defaultProviders().native;
    if (native != null) registerBackendProvider('native', native);
  });

  it('initialises the cpu backend and computes on it', async () => {
    const report = await initBackend({ prefer: 'cpu' });
    expect(report.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(report.platform).toBe('node');
    expect(report.threads).toBe(1);
    const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(Array.from(await y.data())).toEqual([11]);
  });

  it('initialises the wasm backend in Node with SIMD on one thread', async () => {
    const report = await initBackend({ prefer: 'wasm' });
    expect(report.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.simd).toBe('simd128');
    expect(report.threads).toBe(1);
    expect(formatBackendReport(report)).toBe('wasm (simd128, 1 thread, fp32)');
    const y = tf.add(tf.tensor1d([1, 2, 3]), 1);
    expect(Array.from(await y.data())).toEqual([2, 3, 4]);
  });

  it('skips unavailable backends, says why, and falls back', async () => {
    const report = await initBackend({ prefer: ['webgpu', 'cpu'] });
    expect(report.backend).toBe('cpu');
    expect(report.skipped[0]?.backend).toBe('webgpu');
    expect(report.skipped[0]?.reason).toBe(
      "not available on Node.js in this build; register one with registerBackendProvider('webgpu', …)",
    );
  });

  it('falls back to wasm with a one-line notice when the native addon failed to build', async () => {
    registerBackendProvider('native', async () => {
      throw new Error('native addon not available (build failed: g++ not found)\n  at a stack line');
    });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const report = await initBackend();
      expect(report.backend).toBe('wasm');
      expect(report.skipped).toEqual([
        { backend: 'native', reason: 'native addon not available (build failed: g++ not found)' },
      ]);
      expect(warnings).toEqual([
        '[albert-ts] skipped native: native addon not available (build failed: g++ not found); using wasm.',
      ]);
      expect(await availableBackends()).toEqual(['cpu', 'wasm']);
    } finally {
      console.warn = warn;
    }
  });

  it('reports a provider that registers no tfjs backend', async () => {
    registerBackendProvider('native', async () => ({ threads: 2 }));
    const report = await initBackend({ prefer: ['native', 'cpu'], quiet: true });
    expect(report.skipped[0]?.reason).toBe(
      "its provider did not register a tfjs backend 'native' (call tf.registerBackend in it)",
    );
  });

  it('throws a BackendError (an AlbertError) when nothing can be initialised', async () => {
    const err = await initBackend({ prefer: ['webgpu'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toBeInstanceOf(AlbertError);
    expect((err as Error).message).toMatch(/prefer: "cpu"/);
  });

  it('lists cpu and wasm among the available Node backends, leaving the current backend alone', async () => {
    await initBackend({ prefer: 'cpu' });
    const names = await availableBackends();
    expect(tf.getBackend()).toBe('cpu');
    expect(names.slice(0, 2)).toEqual(['cpu', 'wasm']);
    expect(names.every((n) => ['cpu', 'wasm', 'native'].includes(n))).toBe(true);
  });
});

describe('ALBERT_TS_BACKENDS', () => {
  const saved = { list: process.env.ALBERT_TS_BACKENDS, old: process.env.ALBERT_TS_BACKEND };
  afterEach(() => {
    for (const [key, value] of [
      ['ALBERT_TS_BACKENDS', saved.list],
      ['ALBERT_TS_BACKEND', saved.old],
    ] as const) {
      if (value == null) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('is the backends albert-ts may use, best first: initBackend() order and availableBackends() list', async () => {
    delete process.env.ALBERT_TS_BACKEND;
    process.env.ALBERT_TS_BACKENDS = 'cpu,wasm';
    expect((await initBackend()).backend).toBe('cpu');
    expect(await availableBackends()).toEqual(['cpu', 'wasm']);
    process.env.ALBERT_TS_BACKENDS = ' wasm ';
    expect((await initBackend()).backend).toBe('wasm');
    expect(await availableBackends()).toEqual(['wasm']);
  });

  it('rejects unknown names, and the old single-backend name, with what to do', async () => {
    process.env.ALBERT_TS_BACKENDS = 'wasm,tpu';
    await expect(initBackend()).rejects.toThrow(
      /ALBERT_TS_BACKENDS="wasm,tpu" names unknown backend\(s\) tpu; use native/,
    );
    await expect(availableBackends()).rejects.toBeInstanceOf(BackendError);
    delete process.env.ALBERT_TS_BACKENDS;
    process.env.ALBERT_TS_BACKEND = 'wasm';
    await expect(initBackend()).rejects.toThrow(/now ALBERT_TS_BACKENDS .*rename it/);
  });
});

describe('Node banner', () => {
  it("does not print tfjs's 'running TensorFlow.js in Node.js' banner", () => {
    const index = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = `import * as tf from '@tensorflow/tfjs-core';
      const { initBackend } = await import(${JSON.stringify(index)});
      await initBackend({ prefer: 'cpu' });
      console.log(tf.add(tf.tensor1d([1, 2]), 1).dataSync().join(','));`;
    const out = spawnSync(
      process.execPath,
      ['--conditions=@albert-ts/source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
      },
    );
    expect(out.stdout.trim()).toBe('2,3');
    expect(out.stderr).not.toMatch(/looks like you are running TensorFlow\.js in Node\.js/);
  });
});

describe('maskNegative', () => {
  it('is float32 min on fp32 backends: masked keys get weight 0, a fully masked row is uniform', async () => {
    await initBackend({ prefer: 'wasm' });
    expect(maskNegative()).toBe(MASK_NEGATIVE_FP32);
    expect(Math.fround(MASK_NEGATIVE_FP32)).toBe(MASK_NEGATIVE_FP32);
    const scores = tf.tensor2d([
      [0.5, 1.5, -2, 3],
      [1, 2, 3, 4],
    ]);
    const keep = tf.tensor2d([
      [1, 1, 0, 1],
      [0, 0, 0, 0],
    ]);
    const probs = await tf.softmax(tf.add(scores, tf.mul(tf.sub(1, keep), maskNegative()))).data();
    expect(probs[2]).toBe(0);
    expect(Array.from(probs.slice(4))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe('gradients', () => {
  it('registers tfjs-core gradients on import', async () => {
    expect(hasGradient('BatchMatMul')).toBe(true);
    expect(hasGradient('GatherV2')).toBe(true);
    await initBackend({ prefer: 'cpu' });
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(v, v)))(x);
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
  });
});
