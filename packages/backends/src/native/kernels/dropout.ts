// AlbertDropout {x} {rate, seed}: inverted dropout, y = x / (1 - rate) where the element's uniform
// is >= rate, else 0. The uniform of element i is a hash of (seed, i) — counter-based, so the
// gradient reproduces the mask from the seed (dx = AlbertDropout(dy), same attrs) instead of
// saving it, and no random numbers are drawn in JS: tf.dropout draws one per element from
// seedrandom's alea and then runs add, floor, div and mul kernels.
import {
  AlbertDropout,
  type AlbertDropoutAttrs,
  type AlbertDropoutInputs,
  dropoutBits,
  dropoutKeys,
  dropoutThreshold,
  seedWords,
} from '@albert-ts/common';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelError } from '../../errors.js';
import type { NativeBackend } from '../backend.js';
import { f32, isF32, type NativeKernel, size } from './util.js';

/**
 * The same mask as the addon's dropout, in JS (for an addon built before it had dropout, and as
 * the tests' reference): the counter hash of @albert-ts/common (its CONTRACTS.md, "The dropout mask").
 */
export function dropoutJs(x: Float32Array, y: Float32Array, rate: number, seedLo: number, seedHi: number): void {
  const [k0, k1] = dropoutKeys(seedLo, seedHi);
  const threshold = dropoutThreshold(rate);
  const scale = Math.fround(1 / (1 - rate));
  for (let i = 0; i < x.length; i++) y[i] = dropoutBits(i, k0, k1) >= threshold ? (x[i] as number) * scale : 0;
}

const dropout: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x } = args.inputs as unknown as AlbertDropoutInputs<TensorInfo>;
  const { rate, seed } = args.attrs as unknown as AlbertDropoutAttrs;
  if (!isF32(backend, x)) throw new KernelError(`AlbertDropout takes a float32 tensor, got ${x.dtype}: cast it first`);
  if (!(rate >= 0 && rate < 1)) throw new KernelError(`AlbertDropout: rate must be in [0, 1), got ${rate}`);
  if (!Number.isSafeInteger(seed))
    throw new KernelError(
      `AlbertDropout: seed must be an integer, got ${seed}; pass a safe integer (e.g. SeededRandom.int32())`,
    );
  const y = backend.allocF32(size(x.shape));
  const [lo, hi] = seedWords(seed);
  const xs = f32(backend, x);
  if (typeof backend.addon.dropout === 'function') backend.addon.dropout(xs, y, rate, lo, hi);
  else dropoutJs(xs, y, rate, lo, hi);
  return backend.makeTensorInfo(x.shape, 'float32', y);
};

export const dropoutKernels: NativeKernel[] = [{ kernelName: AlbertDropout, kernelFunc: dropout }];
