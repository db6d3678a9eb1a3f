// planBatch: the oldest job anchors the batch, jobs with the same options join nearest-length
// first, within maxBatchSize rows and maxBatchTokens padded tokens; lengthGroups: the cut into
// passes of neighbouring lengths that computes least (checked against every possible cut).
import { describe, expect, it } from 'vitest';
import type { Job } from '../src/batching/job.js';
import { optionsKey } from '../src/batching/job.js';
import { lengthGroups, planBatch } from '../src/batching/plan.js';

function job(id: number, length: number, rows = 1, options: Record<string, unknown> = {}): Job {
  return {
    id,
    items: [],
    options,
    key: optionsKey(options),
    cost: { rows, length, tokens: rows * length },
    enqueuedAt: id,
    resolve() {},
    reject() {},
    settled: false,
  };
}

const ids = (jobs: Job[]) => jobs.map((j) => j.id);

describe('planBatch', () => {
  it('takes everything that fits, nearest length to the oldest job first', () => {
    const queue = [job(1, 10), job(2, 50), job(3, 12), job(4, 9), job(5, 30)];
    const plan = planBatch(queue, { maxBatchSize: 3, maxBatchTokens: 10_000 });
    expect(ids(plan.jobs)).toEqual([1, 4, 3]); // gaps 1 and 2; 30 and 50 wait for the next batch
    expect([plan.rows, plan.length, plan.paddedTokens, plan.full]).toEqual([3, 12, 36, true]);
  });

  it('bounds padded tokens (rows × longest row): a long job does not join short ones', () => {
    const queue = [job(1, 10), job(2, 60), job(3, 11), job(4, 12)];
    const plan = planBatch(queue, { maxBatchSize: 32, maxBatchTokens: 100 });
    expect(ids(plan.jobs)).toEqual([1, 3, 4]); // with job 2: 4 × 60 = 240 > 100
    expect([plan.paddedTokens, plan.full]).toEqual([36, true]);
  });

  it('counts rows: a request with many inputs fills the batch', () => {
    const plan = planBatch([job(1, 10, 6), job(2, 10, 3), job(3, 10, 2)], { maxBatchSize: 8, maxBatchTokens: 10_000 });
    expect(ids(plan.jobs)).toEqual([1, 3]);
    expect(plan.rows).toBe(8);
  });

  it('only jobs with the same call options share a batch', () => {
    const queue = [job(1, 10, 1, { topK: 1 }), job(2, 10, 1, { topK: 2 }), job(3, 10, 1, { topK: 1 })];
    expect(ids(planBatch(queue, { maxBatchSize: 8, maxBatchTokens: 1000 }).jobs)).toEqual([1, 3]);
    expect(optionsKey({ b: 1, a: [2], c: undefined })).toBe(optionsKey({ a: [2], b: 1 }));
  });

  it('is not full while everything fits (waiting may grow it), and a job larger than the limits runs alone', () => {
    expect(planBatch([job(1, 10), job(2, 10)], { maxBatchSize: 8, maxBatchTokens: 1000 }).full).toBe(false);
    const big = planBatch([job(1, 64, 40), job(2, 5)], { maxBatchSize: 8, maxBatchTokens: 1000 });
    expect(ids(big.jobs)).toEqual([1]);
    expect(big.full).toBe(true);
  });
});

describe('lengthGroups', () => {
  const lengths = (groups: Job[][]) => groups.map((g) => g.map((j) => j.cost.length));

  it('cuts where a pass costs less than the padding it saves', () => {
    const jobs = [job(1, 50), job(2, 5), job(3, 52), job(4, 7), job(5, 6)];
    // one pass: 32 + 5 × 52 = 292; {5,6,7} {50,52}: (32 + 3 × 7) + (32 + 2 × 52) = 189;
    // cutting {5,6,7} further: 32 + 5 + 32 + 2 × 7 = 83 > 53; {50} {52}: 166 > 136
    expect(lengths(lengthGroups(jobs, 32))).toEqual([
      [5, 6, 7],
      [50, 52],
    ]);
    // a pass dearer than the padding the cut saves (260 − 125 = 135 tokens): one pass
    expect(lengths(lengthGroups(jobs, 136))).toEqual([[5, 6, 7, 50, 52]]);
  });

  it('counts rows: a job of many rows pads them all', () => {
    // {10×1, 12×4}: 32 + 5 × 12 = 92; apart: 32 + 10 + 32 + 48 = 122
    expect(lengths(lengthGroups([job(1, 12, 4), job(2, 10)], 32))).toEqual([[10, 12]]);
    // {10×4, 40×1}: 32 + 5 × 40 = 232; apart: 32 + 40 + 32 + 40 = 144
    expect(lengths(lengthGroups([job(1, 10, 4), job(2, 40)], 32))).toEqual([[10], [40]]);
  });

  it('computes the least of every cut of the sorted lengths (random cases, brute force)', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const cost = (groups: Job[][], overhead: number) =>
      groups.reduce(
        (t, g) => t + overhead + g.reduce((r, j) => r + j.cost.rows, 0) * Math.max(...g.map((j) => j.cost.length)),
        0,
      );
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(rand() * 9);
      const jobs = Array.from({ length: n }, (_, i) => job(i, 1 + Math.floor(rand() * 60), 1 + Math.floor(rand() * 3)));
      const overhead = Math.floor(rand() * 80);
      const sorted = [...jobs].sort((a, b) => a.cost.length - b.cost.length);
      let least = Number.POSITIVE_INFINITY;
      for (let mask = 0; mask < 2 ** (n - 1); mask++) {
        const groups: Job[][] = [[sorted[0] as Job]];
        for (let i = 1; i < n; i++) {
          if (mask & (1 << (i - 1))) groups.push([]);
          (groups.at(-1) as Job[]).push(sorted[i] as Job);
        }
        least = Math.min(least, cost(groups, overhead));
      }
      const got = lengthGroups(jobs, overhead);
      expect(got.flat().length).toBe(n);
      expect(cost(got, overhead)).toBe(least);
    }
  });

  it("planBatch runs the oldest job's group and says full (the other group is next)", () => {
    const queue = [job(1, 50), job(2, 5), job(3, 52), job(4, 7), job(5, 6)];
    const plan = planBatch(queue, { maxBatchSize: 32, maxBatchTokens: 10_000, passOverheadTokens: 32 });
    expect(ids(plan.jobs).sort()).toEqual([1, 3]);
    expect([plan.rows, plan.length, plan.paddedTokens, plan.full]).toEqual([2, 52, 104, true]);
    // without passOverheadTokens: one batch of all five
    expect(planBatch(queue, { maxBatchSize: 32, maxBatchTokens: 10_000 }).jobs).toHaveLength(5);
  });
});
