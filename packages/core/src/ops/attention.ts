// Multi-head self-attention of one ALBERT layer, eager form:
// softmax(Q K^T * d^-0.5 + mask) V, then the output projection.
//
// Layout choice: K is transposed explicitly to [b, h, d, s] (a Transpose op, O(b*s*H) memory moves)
// so both products are plain matMul without transposeA/transposeB flags; the tfjs wasm backend runs
// flagged batched matMul 10-40x slower, and the transpose is cheap next to the O(s^2 * H) products.
import { maskNegative } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
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
}

/**
 * Turns an attention mask [b, s] of 1 (real) / 0 (pad) into additive scores [b, 1, 1, s]:
 * (1 - mask) * maskNegative(). On fp32 backends that is finfo(float32).min, exactly HF's value
 * (padded keys get probability exactly 0; a fully padded row comes out uniform, as in PyTorch);
 * on fp16 backends it is -1e4, which stays finite in half precision.
 */
export function maskToBias(attentionMask: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, s] = attentionMask.shape;
    const padded = tf.sub(1, tf.cast(attentionMask, 'float32')); // 1 on padding
    return tf.reshape(tf.mul(padded, maskNegative()), [b, 1, 1, s]) as tf.Tensor4D;
  });
}

/**
 * softmax(scores * scale + maskBias) over the last axis. scores: [b, h, s, s], maskBias:
 * [b, 1, 1, s]. One `AlbertMaskedSoftmax` kernel (with gradient) when the backend registers it
 * (CONTRACTS.md), else the three tf ops.
 */
export function maskedSoftmax(scores: tf.Tensor4D, maskBias: tf.Tensor4D, scale: number): tf.Tensor4D {
  if (hasFusedKernel('AlbertMaskedSoftmax')) {
    return runFusedKernel<tf.Tensor4D>('AlbertMaskedSoftmax', { scores, mask: maskBias }, { scale });
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
 * backend that registers the fused `AlbertSelfAttention` kernel (CONTRACTS.md) computes the
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
  if (
    options.outputProbs === false &&
    !dropoutActive &&
    tf.engine().state.gradientDepth === 0 &&
    hasFusedKernel('AlbertSelfAttention')
  ) {
    return tf.tidy(() => {
      const { query, queryBias, key, keyBias, value, valueBias } = w;
      const scale = 1 / Math.sqrt(x.shape[2] / numHeads);
      const merged = runFusedKernel<tf.Tensor3D>(
        'AlbertSelfAttention',
        { x, query, queryBias, key, keyBias, value, valueBias, mask: maskBias },
        { numHeads, scale },
      ); // [b, s, H]
      return { context: linear(merged, w.dense, w.denseBias) };
    });
  }
  return tf.tidy(() => {
    const [b, s, hidden] = x.shape;
    const d = hidden / numHeads;
    const split = (t: tf.Tensor3D) => tf.reshape(t, [b, s, numHeads, d]); // [b, s, h, d]
    const q = tf.transpose(split(linear(x, w.query, w.queryBias)), [0, 2, 1, 3]); // [b, h, s, d]
    const kT = tf.transpose(split(linear(x, w.key, w.keyBias)), [0, 2, 3, 1]); // [b, h, d, s]
    const v = tf.transpose(split(linear(x, w.value, w.valueBias)), [0, 2, 1, 3]); // [b, h, s, d]
    const probs = maskedSoftmax(tf.matMul(q, kT), maskBias, 1 / Math.sqrt(d)); // [b, h, s, s]
    const dropped = dropout(probs, attentionDropout, ctx);
    const heads = tf.matMul(dropped, v); // [b, h, s, d]
    const merged = tf.reshape(tf.transpose(heads, [0, 2, 1, 3]), [b, s, hidden]) as tf.Tensor3D; // [b, s, H]
    const context = linear(merged, w.dense, w.denseBias);
    return options.outputProbs === false ? { context } : { context, probs };
  });
}
