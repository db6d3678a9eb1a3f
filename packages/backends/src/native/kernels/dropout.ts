// AlbertDropout {x} {rate, seed}: inverted dropout, y = x / (1 - rate) where the element's uniform
// is >= rate, else 0. The uniform of element i is a hash of (seed, i) — counter-based, so the
// gradient reproduces the mask from the seed (dx = AlbertDropout(dy), same attrs) instead of
// saving it, and no random numbers are drawn in JS: tf.dropout draws one per element from
// seedrandom's alea and then runs add, floor, div and mul kernels.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../backend.js';
import { f32, isF32, type NativeKernel, size } from './util.js';

// lowbias32 (Chris Wellons' hash prospector), as native/src/ops.cc's mix32.
function mix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The two 32-bit words of a seed (any integer, negative ones too: core draws int32 seeds). */
export function seedWords(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0];
}

/**
 * The same mask as the addon's dropout, in JS (for an addon built before it had dropout, and as
 * the tests' reference): element i is kept when mix32(mix32(i ^ k0) + k1) >> 8 >= ceil(rate 2^24).
 */
export function dropoutJs(x: Float32Array, y: Float32Array, rate: number, seedLo: number, seedHi: number): void {
  const k0 = mix32((seedLo ^ 0x9e3779b9) >>> 0);
  const k1 = mix32((seedHi + k0 + 0x85ebca6b) >>> 0);
  const threshold = Math.min(16777216, Math.max(0, Math.ceil(Math.fround(rate) * 16777216)));
  const scale = Math.fround(1 / (1 - rate));
  for (let i = 0; i < x.length; i++) {
    const bits = mix32((mix32((i ^ k0) >>> 0) + k1) >>> 0) >>> 8;
    y[i] = bits >= threshold ? (x[i] as number) * scale : 0;
  }
}

const dropout: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x } = args.inputs as { x: TensorInfo };
  const { rate, seed } = args.attrs as { rate: number; seed: number };
  if (!isF32(backend, x)) throw new Error(`AlbertDropout takes a float32 tensor, got ${x.dtype}`);
  if (!(rate >= 0 && rate < 1)) throw new Error(`AlbertDropout: rate must be in [0, 1), got ${rate}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`AlbertDropout: seed must be an integer, got ${seed}`);
  const y = backend.allocF32(size(x.shape));
  const [lo, hi] = seedWords(seed);
  const xs = f32(backend, x);
  if (typeof backend.addon.dropout === 'function') backend.addon.dropout(xs, y, rate, lo, hi);
  else dropoutJs(xs, y, rate, lo, hi);
  return backend.makeTensorInfo(x.shape, 'float32', y);
};

export const dropoutKernels: NativeKernel[] = [{ kernelName: 'AlbertDropout', kernelFunc: dropout }];
