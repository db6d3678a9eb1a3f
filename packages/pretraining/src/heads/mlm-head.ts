// Hugging Face's AlbertMLMHead: decoder(LayerNorm(act(dense(h)))), where the decoder weight is the
// word-embedding table (tied) and the decoder bias is `predictions.bias`.
import { type AlbertConfig, activation, layerNorm, linear } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';

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
    // An explicit transpose, then a plain matMul: tfjs wasm's matMul with transposeB is many times slower.
    const logits = tf.add(tf.matMul(flat, tf.transpose(wordEmbeddings)), p('predictions.bias')); // [N, V]
    return tf.reshape(logits, [...lead, config.vocabSize]);
  });
}
