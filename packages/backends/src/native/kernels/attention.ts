// AlbertSelfAttention {x, query, queryBias, key, keyBias, value, valueBias, mask} {numHeads,
// scale} (packages/common/CONTRACTS.md): the merged context [b, s, H] = concat_h(softmax(Q_h K_hᵀ · scale + mask)
// V_h), before the output dense. One GEMM against the cached packed [Wq | Wk | Wv], then one
// native task per (batch item, head) reading Q_h, K_h, V_h in place (native/src/attention.cc):
// no head split/merge transposes, no scores tensor. No gradient: core runs it for inference only.
import { AlbertSelfAttention, type AlbertSelfAttentionAttrs, type AlbertSelfAttentionInputs } from '@albert-ts/common';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelError } from '../../errors.js';
import type { NativeBackend } from '../backend.js';
import { f32, isF32, type NativeKernel, size } from './util.js';

type Inputs = AlbertSelfAttentionInputs<TensorInfo>;

function check(inputs: Inputs, numHeads: number): [number, number, number] {
  const { x, query, key, value, queryBias, keyBias, valueBias, mask } = inputs;
  if (x.shape.length !== 3)
    throw new KernelError(`AlbertSelfAttention: x must be [batch, seq, hidden], got [${x.shape}]`);
  const [batch, seq, hidden] = x.shape as [number, number, number];
  if (!Number.isInteger(numHeads) || numHeads < 1 || hidden % numHeads !== 0) {
    throw new KernelError(
      `AlbertSelfAttention: numHeads (${numHeads}) must be a positive divisor of hidden (${hidden})`,
    );
  }
  for (const [name, w] of [
    ['query', query],
    ['key', key],
    ['value', value],
  ] as const) {
    if (w.shape.length !== 2 || w.shape[0] !== hidden || w.shape[1] !== hidden) {
      throw new KernelError(`AlbertSelfAttention: ${name} must be [${hidden}, ${hidden}] (in, out), got [${w.shape}]`);
    }
  }
  for (const [name, b] of [
    ['queryBias', queryBias],
    ['keyBias', keyBias],
    ['valueBias', valueBias],
  ] as const) {
    if (size(b.shape) !== hidden)
      throw new KernelError(`AlbertSelfAttention: ${name} must have ${hidden} values, got [${b.shape}]`);
  }
  if (size(mask.shape) !== batch * seq || mask.shape[0] !== batch || mask.shape[mask.shape.length - 1] !== seq) {
    throw new KernelError(`AlbertSelfAttention: mask must be [${batch}, 1, 1, ${seq}] (additive), got [${mask.shape}]`);
  }
  return [batch, seq, hidden];
}

const selfAttention: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const inputs = args.inputs as unknown as Inputs;
  const { numHeads, scale } = args.attrs as unknown as AlbertSelfAttentionAttrs;
  const all = Object.values(inputs);
  if (!isF32(backend, ...all)) {
    throw new KernelError(
      `AlbertSelfAttention takes float32 tensors, got ${all.map((t) => t.dtype).join(', ')}: cast them first`,
    );
  }
  const [batch, seq, hidden] = check(inputs, numHeads);
  const { x, query, key, value } = inputs;
  const packed = backend.packedQkv(
    [query.dataId, key.dataId, value.dataId],
    f32(backend, query),
    f32(backend, key),
    f32(backend, value),
    hidden,
  );
  const out = backend.allocF32(batch * seq * hidden);
  backend.addon.selfAttention(
    f32(backend, x),
    packed,
    f32(backend, inputs.queryBias),
    f32(backend, inputs.keyBias),
    f32(backend, inputs.valueBias),
    f32(backend, inputs.mask),
    out,
    batch,
    seq,
    hidden,
    numHeads,
    scale,
  );
  return backend.makeTensorInfo([batch, seq, hidden], 'float32', out);
};

export const attentionKernels: NativeKernel[] = [
  { kernelName: AlbertSelfAttention, kernelFunc: selfAttention, needs: 'selfAttention' },
];
