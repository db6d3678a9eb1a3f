// Hugging Face's AlbertMLMHead: decoder(LayerNorm(act(dense(h)))), where the decoder weight is the
// word-embedding table (tied) and the decoder bias is `predictions.bias`. Its variables are
// keyed by HF name, initialised as HF's _init_weights (Linear ~ normal, biases 0, LayerNorm 1/0).
import { type AlbertConfig, activation, layerNorm, linear, type ParameterSpec } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';

/** The decoder is the word embeddings and predictions.bias: HF neither saves nor expects these keys. */
export const MLM_TIED_KEYS = ['predictions.decoder.weight', 'predictions.decoder.bias'] as const;

/** AlbertMLMHead: dense H→E, LayerNorm(E), decoder tied to the word embeddings + its own bias. */
export function mlmHeadSpecs(config: AlbertConfig): ParameterSpec[] {
  const { hiddenSize: H, embeddingSize: E, vocabSize: V } = config;
  return [
    { name: 'predictions.dense.weight', shape: [H, E], init: 'normal' },
    { name: 'predictions.dense.bias', shape: [E], init: 'zeros' },
    { name: 'predictions.LayerNorm.weight', shape: [E], init: 'ones' },
    { name: 'predictions.LayerNorm.bias', shape: [E], init: 'zeros' },
    { name: 'predictions.bias', shape: [V], init: 'zeros' },
  ];
}

/** hidden: [..., H] -> logits [..., V]. */
export function mlmHead(
  config: AlbertConfig,
  head: Map<string, tf.Variable>,
  wordEmbeddings: tf.Variable, // [V, E]
  hidden: tf.Tensor,
): tf.Tensor {
  const p = (name: string) => head.get(name) as tf.Variable;
  return tf.tidy(() => {
    const lead = hidden.shape.slice(0, -1);
    let x = linear(hidden, p('predictions.dense.weight'), p('predictions.dense.bias')); // [..., E]
    x = activation(config.hiddenAct)(x);
    x = layerNorm(x, p('predictions.LayerNorm.weight'), p('predictions.LayerNorm.bias'), config.layerNormEps);
    const flat = tf.reshape(x, [-1, config.embeddingSize]) as tf.Tensor2D; // [N, E]
    // transposeB directly: @albert-ts/backends' wasm BatchMatMul transposes first and the native
    // GEMM absorbs it in its packing. [160, 128] x [30000, 128]^T, median ms, 6 Dec 2026 (load ~13):
    // forward + weight gradient, explicit transpose vs transposeB: wasm 966 vs 906, native 691 vs
    // 243, cpu 12550 vs 10774.
    const logits = tf.add(tf.matMul(flat, wordEmbeddings, false, true), p('predictions.bias')); // [N, V]
    return tf.reshape(logits, [...lead, config.vocabSize]);
  });
}
