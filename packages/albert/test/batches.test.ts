// Where the pipelines cut their length-sorted inputs into batches. Each batch is padded to its
// longest member and costs about 16 tokens more per forward pass; the expected cuts below are worked
// out by hand from that cost (padded tokens + 16 per batch), not taken from the code.
import { describe, expect, it } from 'vitest';
import { lengthSortedBatches } from '../src/pipelines/batches.js';

/** Tokens the forwards compute: each batch padded to its longest. */
const padded = (lengths: number[], batches: number[][]) =>
  batches.reduce((sum, b) => sum + b.length * Math.max(...b.map((i) => lengths[i] as number)), 0);

describe('lengthSortedBatches', () => {
  it('sorts longest first (ties in input order) and fills batches when lengths are close', () => {
    // sorted: 1 (12), 3 (12), 5 (11), 2 (5), 4 (4), 0 (3)
    // [1 3 5][2 4 0]: 36 + 15 + 2·16 = 83; [1 3][5 2 4][0]: 24 + 33 + 3 + 3·16 = 108
    const lengths = [3, 12, 5, 12, 4, 11];
    expect(lengthSortedBatches(lengths, 3)).toEqual([
      [1, 3, 5],
      [2, 4, 0],
    ]);
  });

  it('cuts a batch short when one long input would pad the rest', () => {
    // one batch: 8 · 40 + 16 = 336 tokens' worth; [0] then the seven short ones: 40 + 14 + 2 · 16 = 86
    const lengths = [40, 2, 2, 2, 2, 2, 2, 2];
    const batches = lengthSortedBatches(lengths, 8);
    expect(batches).toEqual([[0], [1, 2, 3, 4, 5, 6, 7]]);
    expect(padded(lengths, batches)).toBe(54);
  });

  it('keeps full batches when the padding saved would not pay for another forward', () => {
    // [10 10 10 9]: 40 + 16 = 56; [10 10 10][9]: 30 + 9 + 32 = 71
    expect(lengthSortedBatches([10, 9, 10, 10], 4)).toEqual([[0, 2, 3, 1]]);
    expect(lengthSortedBatches(new Array(10).fill(7), 4).map((b) => b.length)).toEqual([4, 4, 2]);
  });

  it('every index exactly once, no batch above batchSize; batch 1 and empty input', () => {
    const lengths = Array.from({ length: 200 }, (_, i) => 3 + ((i * 7919) % 61));
    for (const size of [1, 3, 8, 32]) {
      const batches = lengthSortedBatches(lengths, size);
      expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
      expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(size);
    }
    expect(lengthSortedBatches(lengths, 1)).toHaveLength(200);
    expect(lengthSortedBatches([], 8)).toEqual([]);
  });
});
