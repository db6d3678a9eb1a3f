// One ALBERT layer (post-LN transformer block):
//   a  = LN_att(h + dropout(dense(attention(h))))
//   h' = LN_full(ffn_output(act(ffn(a))) + a)
// As in HF's AlbertLayer, the FFN output gets no dropout (only the attention output does).
import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from '../config/albert-config.js';
import { activation } from '../ops/activations.js';
import { selfAttention } from '../ops/attention.js';
import { type DropoutContext, dropout } from '../ops/dropout.js';
import { addLayerNorm } from '../ops/layer-norm.js';
import { linear, linearActivation } from '../ops/linear.js';
import type { ParamGetter } from './embeddings.js';
import type { LowPrecisionWeights } from './low-precision.js';

/**
 * h: [b, s, H], maskBias: [b, 1, 1, s]; prefix names the inner layer's tensors. The attention
 * probabilities come back only when `outputAttentions` is set (without them inference may run
 * the fused attention kernel). With `lp` (AlbertModel's dtype 'q8' | 'bf16') inference runs the
 * Linear layers on their low-precision copies.
 */
export function albertLayer(
  config: AlbertConfig,
  p: ParamGetter,
  prefix: string,
  h: tf.Tensor3D,
  maskBias: tf.Tensor4D,
  ctx: DropoutContext,
  outputAttentions = true,
  lp: LowPrecisionWeights | null = null,
): { hidden: tf.Tensor3D; probs?: tf.Tensor4D } {
  return tf.tidy(() => {
    const at = `${prefix}.attention`;
    const qkv = lp?.qkv.get(prefix);
    const { context, probs } = selfAttention(
      h,
      maskBias,
      {
        query: p(`${at}.query.weight`),
        queryBias: p(`${at}.query.bias`),
        key: p(`${at}.key.weight`),
        keyBias: p(`${at}.key.bias`),
        value: p(`${at}.value.weight`),
        valueBias: p(`${at}.value.bias`),
        dense: p(`${at}.dense.weight`),
        denseBias: p(`${at}.dense.bias`),
        ...(qkv != null && { lowPrecision: { qkv, dense: lp?.linear.get(`${at}.dense`) } }),
      },
      config.numAttentionHeads,
      config.attentionProbsDropoutProb,
      ctx,
      { outputProbs: outputAttentions },
    );
    const a = addLayerNorm(
      h,
      dropout(context, config.hiddenDropoutProb, ctx),
      p(`${at}.LayerNorm.weight`),
      p(`${at}.LayerNorm.bias`),
      config.layerNormEps,
    ); // [b, s, H]
    const inner = linearActivation(
      a,
      p(`${prefix}.ffn.weight`),
      p(`${prefix}.ffn.bias`),
      config.hiddenAct,
      activation(config.hiddenAct),
      lp?.linear.get(`${prefix}.ffn`),
    ); // [b, s, I]
    const out = linear(
      inner,
      p(`${prefix}.ffn_output.weight`),
      p(`${prefix}.ffn_output.bias`),
      lp?.linear.get(`${prefix}.ffn_output`),
    ); // [b, s, H]
    const hidden = addLayerNorm(
      out,
      a,
      p(`${prefix}.full_layer_layer_norm.weight`),
      p(`${prefix}.full_layer_layer_norm.bias`),
      config.layerNormEps,
    );
    return { hidden, probs };
  });
}
