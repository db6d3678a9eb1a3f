// Choosing the next batch from the queue, length-bucketed: the oldest job anchors the batch (so no
// job starves), and jobs with the same call options join it nearest-length first while the batch
// stays within maxBatchSize rows and maxBatchTokens padded tokens (rows × longest row, what the
// forward pass computes). A job alone larger than the limits still runs, alone.
import type { Job } from './job.js';

export interface BatchLimits {
  /** Model input rows per batch. */
  maxBatchSize: number;
  /** Padded tokens per batch: rows × the longest row. */
  maxBatchTokens: number;
}

export interface BatchPlan<J extends Job = Job> {
  jobs: J[];
  rows: number;
  /** The longest row in tokens. */
  length: number;
  /** rows × length: what the forward pass computes. */
  paddedTokens: number;
  /** True when a compatible job was left out for lack of room (or the batch is at its limits): waiting longer cannot grow it. */
  full: boolean;
}

function fits(rows: number, length: number, limits: BatchLimits): boolean {
  return rows <= limits.maxBatchSize && rows * length <= limits.maxBatchTokens;
}

/** The next batch from `queue` (oldest first); `queue` must not be empty. */
export function planBatch<J extends Job>(queue: readonly J[], limits: BatchLimits): BatchPlan<J> {
  const anchor = queue[0];
  if (anchor === undefined) return { jobs: [], rows: 0, length: 0, paddedTokens: 0, full: false };
  const jobs = [anchor];
  let rows = anchor.cost.rows;
  let length = anchor.cost.length;
  let full = !fits(rows, length, limits);
  if (!full) {
    const candidates = queue
      .slice(1)
      .filter((j) => j.key === anchor.key)
      .map((j, order) => ({ j, order, gap: Math.abs(j.cost.length - anchor.cost.length) }))
      .sort((a, b) => a.gap - b.gap || a.order - b.order);
    for (const { j } of candidates) {
      const r = rows + j.cost.rows;
      const l = Math.max(length, j.cost.length);
      if (!fits(r, l, limits)) {
        full = true;
        continue;
      }
      jobs.push(j);
      rows = r;
      length = l;
    }
    if (rows >= limits.maxBatchSize || rows * length >= limits.maxBatchTokens) full = true;
  }
  return { jobs, rows, length, paddedTokens: rows * length, full };
}
