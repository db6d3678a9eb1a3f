// ALBERT embeddings: word + position + token type (all width E), LayerNorm, dropout.
import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from '../config/albert-config.js';
import { type DropoutContext, dropout } from '../ops/dropout.js';
import { embeddingLookup } from '../ops/embedding.js';
import { layerNorm } from '../ops/layer-norm.js';

export type ParamGetter = <T extends tf.Tensor = tf.Tensor>(name: string) => T;

/** inputIds, tokenTypeIds: int32 [b, s] -> [b, s, E]. Positions are 0..s-1. */
export function albertEmbeddings(
  config: AlbertConfig,
  p: ParamGetter,
  inputIds: tf.Tensor2D,
  tokenTypeIds: tf.Tensor2D,
  ctx: DropoutContext,
): tf.Tensor3D {
  return tf.tidy(() => {
    const seq = inputIds.shape[1];
    const words = embeddingLookup(p('embeddings.word_embeddings.weight'), inputIds, config.padTokenId); // [b, s, E]
    const types = embeddingLookup(p('embeddings.token_type_embeddings.weight'), tokenTypeIds); // [b, s, E]
    const positions = embeddingLookup(p('embeddings.position_embeddings.weight'), tf.range(0, seq, 1, 'int32')); // [s, E]
    const sum = tf.add(tf.add(words, types), positions) as tf.Tensor3D; // [b, s, E]
    const normed = layerNorm(
      sum,
      p('embeddings.LayerNorm.weight'),
      p('embeddings.LayerNorm.bias'),
      config.layerNormEps,
    );
    return dropout(normed, config.hiddenDropoutProb, ctx);
  });
}
