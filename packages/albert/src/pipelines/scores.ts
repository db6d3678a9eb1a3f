// Turning logits into scores, as Hugging Face's pipelines do.

export type ScoreFunction = 'softmax' | 'sigmoid' | 'none';
export const SCORE_FUNCTIONS: readonly ScoreFunction[] = ['softmax', 'sigmoid', 'none'];

export function softmax(logits: ArrayLike<number>): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  const exp = Array.from(logits, (v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / sum);
}

export function applyScore(logits: ArrayLike<number>, fn: ScoreFunction): number[] {
  if (fn === 'softmax') return softmax(logits);
  if (fn === 'sigmoid') return Array.from(logits, (v) => 1 / (1 + Math.exp(-v)));
  return Array.from(logits);
}

/** Indices of `scores` from the highest down. */
export function ranked(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}
