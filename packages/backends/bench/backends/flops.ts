// Floating-point work of the benchmarked graphs, counted from their matrix products (2 flops per
// multiply-add; element-wise work is < 1% and left out), and the machine's fp32 peak: together
// they give the shortest time any fp32 engine could take on this machine.

export interface Shape {
  vocab: number;
  embedding: number; // E
  hidden: number; // H
  intermediate: number; // I
  layers: number;
}

export const ALBERT_BASE: Shape = { vocab: 30000, embedding: 128, hidden: 768, intermediate: 3072, layers: 12 };

/** Flops of one forward of AlbertModel (embedding projection, layers, pooler) on [batch, seq]. */
export function forwardFlops(s: Shape, batch: number, seq: number): number {
  const tokens = batch * seq;
  const { embedding: E, hidden: H, intermediate: I } = s;
  const perLayer =
    2 * tokens * (4 * H * H + 2 * H * I) + // q, k, v, output dense; ffn in and out
    2 * 2 * batch * seq * seq * H; // scores Q·Kᵀ and probabilities·V over all heads
  return 2 * tokens * E * H + s.layers * perLayer + 2 * batch * H * H;
}

/**
 * Flops of the benchmark's training step (bench/backends/tfjs-engine.ts makeTrainStep): the
 * forward, an MLM-style head at `positions` rows (H->E, then the tied [V, E] decoder), and a
 * backward pass that costs two products (input and weight gradients) per forward product.
 */
export function trainStepFlops(s: Shape, batch: number, seq: number, positions: number): number {
  const head = 2 * positions * (s.hidden * s.embedding + s.embedding * s.vocab);
  return 3 * (forwardFlops(s, batch, seq) + head);
}
