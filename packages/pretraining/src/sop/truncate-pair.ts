// `truncate_seq_pair` of google-research/albert `create_pretraining_data.py`: while the pair is
// longer than maxTokens, drop one token from the longer side (B when equal), from the front or
// the back with probability 1/2 each. Works on [start, end) windows so nothing is copied.
import { type RandomGenerator, randomFloat } from '../random/seeded-rng.js';

export interface Window {
  start: number;
  end: number;
}

export function truncatePair(a: Window, b: Window, maxTokens: number, rng: RandomGenerator): void {
  while (a.end - a.start + (b.end - b.start) > maxTokens) {
    const side = a.end - a.start > b.end - b.start ? a : b;
    if (randomFloat(rng) < 0.5) side.start++;
    else side.end--;
  }
}
