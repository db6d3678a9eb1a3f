// The Batcher's scheduling with a recording run function (the model's place): batches form from
// what arrives within maxWaitMs, each caller gets its own results, a full queue refuses, a
// cancelled or timed-out request is dropped before it runs, drain flushes without waiting.
import { describe, expect, it } from 'vitest';
import { Batcher, type BatchStats } from '../src/batching/batcher.js';
import { ServerError } from '../src/errors.js';

const cost = (length: number) => ({ rows: 1, length, tokens: length });

function recording(options: { maxWaitMs?: number; maxQueue?: number; maxBatchSize?: number; delayMs?: number } = {}) {
  const calls: string[][] = [];
  const stats: BatchStats[] = [];
  const dropped: string[] = [];
  const batcher = new Batcher<string, string>({
    maxBatchSize: options.maxBatchSize ?? 8,
    maxBatchTokens: 10_000,
    maxWaitMs: options.maxWaitMs ?? 20,
    maxQueue: options.maxQueue ?? 100,
    observer: { batch: (s) => stats.push(s), dropped: (r) => dropped.push(r) },
    run: async (items) => {
      calls.push(items);
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      if (items.includes('bad')) throw new ServerError('bad-request', 'bad input');
      return items.map((s) => s.toUpperCase());
    },
  });
  const submit = (items: string[], timeoutMs?: number) =>
    batcher.submit({ items, options: {}, cost: cost(items.length), ...(timeoutMs !== undefined && { timeoutMs }) });
  return { batcher, calls, stats, dropped, submit };
}

describe('Batcher', () => {
  it('runs requests that arrive within maxWaitMs as one batch, each caller getting its own results', async () => {
    const { calls, stats, submit } = recording({ maxWaitMs: 30 });
    const a = submit(['a', 'b']).results;
    const b = submit(['c']).results;
    const c = submit(['d', 'e']).results;
    expect(await Promise.all([a, b, c])).toEqual([['A', 'B'], ['C'], ['D', 'E']]);
    // one call; the jobs nearest in length to the oldest join it first
    expect(calls).toEqual([['a', 'b', 'd', 'e', 'c']]);
    expect([stats[0]?.requests, stats[0]?.rows]).toEqual([3, 3]);
  });

  it('starts at once when the batch is full, and gathers the next batch while one runs', async () => {
    const { calls, submit } = recording({ maxWaitMs: 10_000, maxBatchSize: 2, delayMs: 30 });
    const all = ['a', 'b', 'c', 'd'].map((s) => submit([s]).results);
    expect(await Promise.all(all)).toEqual([['A'], ['B'], ['C'], ['D']]);
    expect(calls).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('one bad request does not fail the others of its batch', async () => {
    const { calls, submit } = recording();
    const good = submit(['x']).results;
    const bad = submit(['bad']).results;
    await expect(bad).rejects.toThrow('bad input');
    expect(await good).toEqual(['X']);
    expect(calls).toEqual([['x', 'bad'], ['x'], ['bad']]);
  });

  it('refuses with a 503 queue-full (and a Retry-After) beyond maxQueue', async () => {
    const { submit, dropped } = recording({ maxQueue: 2, maxWaitMs: 50 });
    const ok = [submit(['a']).results, submit(['b']).results];
    let err: unknown;
    try {
      submit(['c']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ServerError);
    expect([(err as ServerError).status, (err as ServerError).code, (err as ServerError).retryAfter]).toEqual([
      503,
      'queue-full',
      1,
    ]);
    expect(await Promise.all(ok)).toEqual([['A'], ['B']]);
    expect(dropped).toEqual(['queue-full']);
  });

  it('drops a cancelled request before it runs', async () => {
    const { batcher, calls, submit, dropped } = recording({ maxWaitMs: 30 });
    const keep = submit(['a']).results;
    const gone = submit(['b']);
    batcher.cancel(gone.job);
    await expect(gone.results).rejects.toMatchObject({ code: 'client-closed' });
    expect(await keep).toEqual(['A']);
    expect(calls).toEqual([['a']]);
    expect(dropped).toEqual(['client-closed']);
  });

  it('answers a request not done in time with a 504 and never runs it', async () => {
    const { calls, submit } = recording({ maxWaitMs: 200 });
    await expect(submit(['a'], 20).results).rejects.toMatchObject({ code: 'timeout', status: 504 });
    await new Promise((r) => setTimeout(r, 300)); // past maxWaitMs: the batch would have run by now
    expect(calls).toEqual([]);
  });

  it('drain() runs what is queued without waiting for the batch to fill', async () => {
    const { batcher, calls, submit } = recording({ maxWaitMs: 60_000 });
    const r = submit(['a']).results;
    const t0 = performance.now();
    await batcher.drain();
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(await r).toEqual(['A']);
    expect(calls).toEqual([['a']]);
  });
});
