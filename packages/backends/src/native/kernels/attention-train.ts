// AlbertAttention {qkv, mask} {numHeads, scale} -> context [b, s, H]: the heads' part of
// multi-head self-attention for training, from the fused Q/K/V projection qkv = x · [Wq | Wk | Wv]
// + [bq | bk | bv] ([b, s, 3H]): P_h = softmax(Q_h K_hᵀ · scale + mask), context_h = P_h V_h, head h
// in columns [h·d, (h+1)·d) — no head split/merge transposes, one task per (batch item, head)
// (native/src/attention_train.h). mask: [b, 1, 1, s] or [b, s], additive. Its gradient
// (../gradients.ts) is AlbertAttentionGrad {dy, qkv, mask} {numHeads, scale} -> dqkv [b, s, 3H],
// which recomputes the probabilities per head rather than keeping them.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { BackendError } from '../../errors.js';
import type { NativeBackend } from '../backend.js';
import { f32, isF32, type NativeKernel, size } from './util.js';

type Attrs = { numHeads: number; scale: number };

function check(
  name: string,
  backend: NativeBackend,
  qkv: TensorInfo,
  mask: TensorInfo,
  heads: number,
  dy?: TensorInfo,
) {
  const ts = dy == null ? [qkv, mask] : [qkv, mask, dy];
  if (!isF32(backend, ...ts)) throw new BackendError(`${name} takes float32 tensors`);
  const [batch, seq, width] = qkv.shape as [number, number, number];
  const hidden = width / 3;
  if (qkv.shape.length !== 3 || !Number.isInteger(hidden) || !(heads > 0) || hidden % heads !== 0)
    throw new BackendError(
      `${name}: qkv must be [batch, seq, 3 * hidden] with hidden a multiple of numHeads ${heads}, got [${qkv.shape}]`,
    );
  if (size(mask.shape) !== batch * seq)
    throw new BackendError(`${name}: mask [${mask.shape}] must hold one row of ${seq} per batch item`);
  if (dy != null && size(dy.shape) !== batch * seq * hidden)
    throw new BackendError(`${name}: dy [${dy.shape}] must be [${batch}, ${seq}, ${hidden}]`);
  return { batch, seq, hidden };
}

const attention: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { qkv, mask } = args.inputs as Record<'qkv' | 'mask', TensorInfo>;
  const { numHeads, scale } = args.attrs as unknown as Attrs;
  const { batch, seq, hidden } = check('AlbertAttention', backend, qkv, mask, numHeads);
  const out = backend.allocF32(batch * seq * hidden);
  backend.addon.attentionTrain!(f32(backend, qkv), f32(backend, mask), out, batch, seq, hidden, numHeads, scale);
  return backend.makeTensorInfo([batch, seq, hidden], 'float32', out);
};

const attentionGrad: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { dy, qkv, mask } = args.inputs as Record<'dy' | 'qkv' | 'mask', TensorInfo>;
  const { numHeads, scale } = args.attrs as unknown as Attrs;
  const { batch, seq, hidden } = check('AlbertAttentionGrad', backend, qkv, mask, numHeads, dy);
  const dqkv = backend.allocF32(3 * batch * seq * hidden);
  backend.addon.attentionTrainGrad!(
    f32(backend, dy),
    f32(backend, qkv),
    f32(backend, mask),
    dqkv,
    batch,
    seq,
    hidden,
    numHeads,
    scale,
  );
  return backend.makeTensorInfo(qkv.shape, 'float32', dqkv);
};

export const attentionTrainKernels: NativeKernel[] = [
  { kernelName: 'AlbertAttention', kernelFunc: attention, needs: 'attentionTrain' },
  { kernelName: 'AlbertAttentionGrad', kernelFunc: attentionGrad, needs: 'attentionTrainGrad' },
];
