// planBatch: the oldest job anchors the batch, jobs with the same options join nearest-length
// first, within maxBatchSize rows and maxBatchTokens padded tokens.
import { describe, expect, it } from 'vitest';
import type { Job } from '../src/batching/job.js';
import { optionsKey } from '../src/batching/job.js';
import { planBatch } from '../src/batching/plan.js';

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
