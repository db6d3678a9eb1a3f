// Floating-point work of one AlbertForPreTraining step (mlmPositions 'masked'), counted from its
// matrix products (2 flops per multiply-add; element-wise work is ~1% and left out); the backward
// pass costs two products (input and weight gradients) per forward product.
import type { AlbertConfig } from '@albert-ts/core';

/** Flops of a forward: embedding projection, layers, pooler, the MLM head on `masked` rows, SOP. */
export function pretrainingForwardFlops(c: AlbertConfig, batch: number, seq: number, masked: number): number {
  const tokens = batch * seq;
  const { embeddingSize: E, hiddenSize: H, intermediateSize: I, vocabSize: V } = c;
  const perLayer = 2 * tokens * (4 * H * H + 2 * H * I) + 2 * 2 * batch * seq * seq * H;
  const mlm = 2 * masked * (H * E + E * V);
  return 2 * tokens * E * H + c.numHiddenLayers * perLayer + 2 * batch * H * H + mlm + 2 * batch * H * 2;
}

/** Flops of a training step: forward and backward. */
export function pretrainingStepFlops(c: AlbertConfig, batch: number, seq: number, masked: number): number {
  return 3 * pretrainingForwardFlops(c, batch, seq, masked);
}
