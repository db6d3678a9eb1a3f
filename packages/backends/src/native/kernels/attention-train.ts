// AlbertAttention {q, k, v, mask} {numHeads, scale} -> [context [b, s, H], probs [b, h, s, s]]:
// the heads' part of multi-head self-attention for training (and for inference that wants the
// probabilities), q, k, v being the Q/K/V dense outputs [b, s, H]: P_h = softmax(Q_h K_hᵀ · scale
// + mask), context_h = P_h V_h, head h in columns [h·d, (h+1)·d) — no head split/merge
// transposes, one task per (batch item, head) (native/src/attention_train.h). mask: [b, 1, 1, s]
// or [b, s], additive. Its gradient (../gradients.ts) runs AlbertAttentionGrad {dy, dProbs, q, k,
// v, probs} {numHeads, scale} -> [dq, dk, dv] in one call.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { BackendError } from '../../errors.js';
import type { NativeBackend } from '../backend.js';
import { f32, isF32, type NativeKernel, size } from './util.js';

type Attrs = { numHeads: number; scale: number };

function check(name: string, backend: NativeBackend, q: TensorInfo, others: TensorInfo[], heads: number) {
  if (!isF32(backend, q, ...others)) throw new BackendError(`${name} takes float32 tensors`);
  const [batch, seq, hidden] = q.shape as [number, number, number];
  if (q.shape.length !== 3 || !(heads > 0) || hidden % heads !== 0)
    throw new BackendError(
      `${name}: q must be [batch, seq, hidden] with hidden a multiple of numHeads ${heads}, got [${q.shape}]`,
    );
  return { batch, seq, hidden };
}

const attention: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { q, k, v, mask } = args.inputs as Record<'q' | 'k' | 'v' | 'mask', TensorInfo>;
  const { numHeads, scale } = args.attrs as unknown as Attrs;
  const { batch, seq, hidden } = check('AlbertAttention', backend, q, [k, v, mask], numHeads);
  const tokens = batch * seq * hidden;
  if (size(k.shape) !== tokens || size(v.shape) !== tokens || size(mask.shape) !== batch * seq)
    throw new BackendError(
      `AlbertAttention: k [${k.shape}] and v [${v.shape}] must have q's shape [${q.shape}], mask [${mask.shape}] one row of ${seq} per batch item`,
    );
  const out = backend.allocF32(tokens);
  const probs = backend.allocF32(batch * numHeads * seq * seq);
  backend.addon.attentionCore!(
    f32(backend, q),
    f32(backend, k),
    f32(backend, v),
    f32(backend, mask),
    out,
    probs,
    batch,
    seq,
    hidden,
    numHeads,
    scale,
  );
  return [
    backend.makeTensorInfo(q.shape, 'float32', out),
    backend.makeTensorInfo([batch, numHeads, seq, seq], 'float32', probs),
  ];
};

const attentionGrad: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { dy, dProbs, q, k, v, probs } = args.inputs as Record<'dy' | 'dProbs' | 'q' | 'k' | 'v' | 'probs', TensorInfo>;
  const { numHeads, scale } = args.attrs as unknown as Attrs;
  const { batch, seq, hidden } = check('AlbertAttentionGrad', backend, q, [dy, dProbs, k, v, probs], numHeads);
  const tokens = batch * seq * hidden;
  const pp = batch * numHeads * seq * seq;
  if ([dy, k, v].some((t) => size(t.shape) !== tokens) || size(probs.shape) !== pp || size(dProbs.shape) !== pp)
    throw new BackendError(
      "AlbertAttentionGrad: dy, k, v must have q's shape, probs and dProbs [batch, heads, seq, seq]",
    );
  const dq = backend.allocF32(tokens);
  const dk = backend.allocF32(tokens);
  const dv = backend.allocF32(tokens);
  backend.addon.attentionCoreGrad!(
    f32(backend, dy),
    f32(backend, dProbs),
    f32(backend, q),
    f32(backend, k),
    f32(backend, v),
    f32(backend, probs),
    dq,
    dk,
    dv,
    batch,
    seq,
    hidden,
    numHeads,
    scale,
  );
  return [dq, dk, dv].map((d) => backend.makeTensorInfo(q.shape, 'float32', d));
};

export const attentionTrainKernels: NativeKernel[] = [
  { kernelName: 'AlbertAttention', kernelFunc: attention, needs: 'attentionCore' },
  { kernelName: 'AlbertAttentionGrad', kernelFunc: attentionGrad, needs: 'attentionCoreGrad' },
];
