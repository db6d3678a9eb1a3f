// Direct forward passes of the head models (HF parity tested in @albert-ts/heads) on the tokenizer's
// ids, one input at a time, unpadded: the reference the pipelines' batched results must match.
import type { Encoding } from '@albert-ts/tokenizer';
import * as tf from '@tensorflow/tfjs-core';

type Head = { forward(inputs: { inputIds: tf.Tensor2D; tokenTypeIds: tf.Tensor2D }): Record<string, unknown> };

/** Each named output of `head` for one encoding, as nested arrays (batch dimension dropped). */
export function forwardOne(head: Head, enc: Encoding, outputs: string[]): number[][] {
  const n = enc.inputIds.length;
  return tf.tidy(() => {
    const out = head.forward({
      inputIds: tf.tensor2d(enc.inputIds, [1, n], 'int32'),
      tokenTypeIds: tf.tensor2d(enc.tokenTypeIds, [1, n], 'int32'),
    });
    return outputs.map((k) => Array.from((out[k] as tf.Tensor).dataSync()));
  });
}
