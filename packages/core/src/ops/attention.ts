// Multi-head self-attention of one ALBERT layer, eager form:
// softmax(Q K^T * d^-0.5 + mask) V, then the output projection.
//
// Q K^T is one matMul with transposeB: the native GEMM absorbs the transpose into its packing, and
// @albert-ts/backends' wasm BatchMatMul transposes flagged operands itself (tfjs wasm's own flagged
// path is 10-40x slower). Measured against an explicit [b, h, d, s] transpose of K (b 4, s 128,
// H 768, 12 heads; forward, then forward + gradients): native 2.6 -> 1.7 ms, 120 -> 78 ms;
// wasm 211 -> 173 ms, 548 -> 574 ms (equal within this machine's noise); same values.
import {
  AlbertMaskedSoftmax,
  AlbertSelfAttention,
  AlbertSelfAttentionBf16,
  AlbertSelfAttentionQ8,
  maskNegativeFor,
} from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';
import type { LowPrecisionQkv, LowPrecisionWeight } from '../model/low-precision.js';
import { type DropoutContext, dropout } from './dropout.js';
import { hasFusedKernel, runFusedKernel } from './fused.js';
import { linear } from './linear.js';

export interface AttentionWeights {
  query: tf.Tensor2D; // [H, H] (in, out)
  queryBias: tf.Tensor1D;
  key: tf.Tensor2D;
  keyBias: tf.Tensor1D;
  value: tf.Tensor2D;
  valueBias: tf.Tensor1D;
  dense: tf.Tensor2D;
  denseBias: tf.Tensor1D;
  /** Low-precision copies (AlbertModel's dtype 'q8' | 'bf16'): the fused Q/K/V projection and the output dense. */
  lowPrecision?: { qkv: LowPrecisionQkv; dense?: LowPrecisionWeight | undefined };
}

// The merged context [b, s, H] from the q8 / bf16 attention kernel, or null when the backend lacks it.
function lowPrecisionContext(
  x: tf.Tensor3D,
  maskBias: tf.Tensor4D,
  qkv: LowPrecisionQkv,
  numHeads: number,
  scale: number,
): tf.Tensor3D | null {
  if (qkv.dtype === 'q8') {
    if (!hasFusedKernel(AlbertSelfAttentionQ8)) return null;
    const { weight, weightScale, weightColSum, bias } = qkv;
    return runFusedKernel(
      AlbertSelfAttentionQ8,
      { x, weight, weightScale, weightColSum, bias, mask: maskBias },
      { numHeads, scale },
    ) as tf.Tensor3D;
  }
  if (!hasFusedKernel(AlbertSelfAttentionBf16)) return null;
  return runFusedKernel(
    AlbertSelfAttentionBf16,
    { x, weight: qkv.weight, bias: qkv.bias, mask: maskBias },
    { numHeads, scale },
  ) as tf.Tensor3D;
}

/**
 * Turns an attention mask [b, s] of 1 (real) / 0 (pad) into additive scores [b, 1, 1, s]:
 * (1 - mask) * maskNegativeFor(the backend's float precision). On fp32 backends that is finfo(float32).min, exactly HF's value
 * (padded keys get probability exactly 0; a fully padded row comes out uniform, as in PyTorch);
 * on fp16 backends it is -1e4, which stays finite in half precision.
 */
export function maskToBias(attentionMask: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, s] = attentionMask.shape;
    const padded = tf.sub(1, tf.cast(attentionMask, 'float32')); // 1 on padding
    return tf.reshape(tf.mul(padded, maskNegativeFor(tf.backend().floatPrecision())), [b, 1, 1, s]) as tf.Tensor4D;
  });
}

/**
 * softmax(scores * scale + maskBias) over the last axis. scores: [b, h, s, s], maskBias:
 * [b, 1, 1, s]. One `AlbertMaskedSoftmax` kernel (with gradient) when the backend registers it
 * (@albert-ts/common's CONTRACTS.md), else the three tf ops.
 */
export function maskedSoftmax(scores: tf.Tensor4D, maskBias: tf.Tensor4D, scale: number): tf.Tensor4D {
  if (hasFusedKernel(AlbertMaskedSoftmax)) {
    return runFusedKernel(AlbertMaskedSoftmax, { scores, mask: maskBias }, { scale }) as tf.Tensor4D;
  }
  return tf.tidy(() => tf.softmax(tf.add(tf.mul(scores, scale), maskBias)) as tf.Tensor4D);
}

export interface SelfAttentionOptions {
  /** Also return the attention probabilities (default true). */
  outputProbs?: boolean;
}

/**
 * x: [b, s, H], maskBias: [b, 1, 1, s]. Returns the projected context [b, s, H] (before the
 * residual) and, unless `outputProbs: false`, the attention probabilities [b, heads, s, s].
 *
 * With `outputProbs: false`, outside gradient recording and with attention dropout inactive, a
 * backend that registers the fused `AlbertSelfAttention` kernel (@albert-ts/common's CONTRACTS.md) computes the
 * merged context in one call (no head split/merge transposes, no probabilities tensor); the
 * kernel has no gradient, so training and tf.grad always run the composite.
 */
export function selfAttention(
  x: tf.Tensor3D,
  maskBias: tf.Tensor4D,
  w: AttentionWeights,
  numHeads: number,
  attentionDropout: number,
  ctx: DropoutContext,
): { context: tf.Tensor3D; probs: tf.Tensor4D };
export function selfAttention(
  x: tf.Tensor3D,
  maskBias: tf.Tensor4D,
  w: AttentionWeights,
  numHeads: number,
  attentionDropout: number,
  ctx: DropoutContext,
  options: SelfAttentionOptions,
): { context: tf.Tensor3D; probs?: tf.Tensor4D };
export function selfAttention(
  x: tf.Tensor3D,
  maskBias: tf.Tensor4D,
  w: AttentionWeights,
  numHeads: number,
  attentionDropout: number,
  ctx: DropoutContext,
  options: SelfAttentionOptions = {},
): { context: tf.Tensor3D; probs?: tf.Tensor4D } {
  const dropoutActive = ctx.training && attentionDropout !== 0;
  const inference = options.outputProbs === false && !dropoutActive && tf.engine().state.gradientDepth === 0;
  if (inference && w.lowPrecision != null) {
    const { qkv, dense } = w.lowPrecision;
    const scale = 1 / Math.sqrt(x.shape[2] / numHeads);
    const context = tf.tidy(() => {
      const merged = lowPrecisionContext(x, maskBias, qkv, numHeads, scale); // [b, s, H]
      return merged == null ? [] : [linear(merged, w.dense, w.denseBias, dense)];
    });
    if (context[0] != null) return { context: context[0] };
  }
  if (
    options.outputProbs === false &&
    !dropoutActive &&
    tf.engine().state.gradientDepth === 0 &&
    hasFusedKernel(AlbertSelfAttention)
  ) {
    return tf.tidy(() => {
      const { query, queryBias, key, keyBias, value, valueBias } = w;
      const scale = 1 / Math.sqrt(x.shape[2] / numHeads);
      const merged = runFusedKernel(
        AlbertSelfAttention,
        { x, query, queryBias, key, keyBias, value, valueBias, mask: maskBias },
        { numHeads, scale },
      ) as tf.Tensor3D; // [b, s, H]
      return { context: linear(merged, w.dense, w.denseBias) };
    });
  }
  return tf.tidy(() => {
    const [b, s, hidden] = x.shape;
    const d = hidden / numHeads;
    const split = (t: tf.Tensor3D) => tf.reshape(t, [b, s, numHeads, d]); // [b, s, h, d]
    const q = tf.transpose(split(linear(x, w.query, w.queryBias)), [0, 2, 1, 3]); // [b, h, s, d]
    const k = tf.transpose(split(linear(x, w.key, w.keyBias)), [0, 2, 1, 3]); // [b, h, s, d]
    const v = tf.transpose(split(linear(x, w.value, w.valueBias)), [0, 2, 1, 3]); // [b, h, s, d]
    const probs = maskedSoftmax(tf.matMul(q, k, false, true), maskBias, 1 / Math.sqrt(d)); // [b, h, s, s]
    const dropped = dropout(probs, attentionDropout, ctx);
    const heads = tf.matMul(dropped, v); // [b, h, s, d]
    const merged = tf.reshape(tf.transpose(heads, [0, 2, 1, 3]), [b, s, hidden]) as tf.Tensor3D; // [b, s, H]
    const context = linear(merged, w.dense, w.denseBias);
    return options.outputProbs === false ? { context } : { context, probs };
  });
}
