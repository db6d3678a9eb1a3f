// How the native pool deals a job's chunks (native/src/pool.cc): with 'owned' dealing thread i
// starts on its own contiguous share [tasks·i/T, tasks·(i+1)/T) and afterwards takes what is left of
// the others' (so a stalled thread's share is finished by the rest); 'shared' deals from one
// counter. Either way every chunk runs once and a GEMM's result is the same bit for bit.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NativeBackend } from '../../src/native/backend.js';
import { random, setupNative } from './helpers.js';

beforeAll(setupNative);

const addon = () => (tf.backend() as NativeBackend).addon;
let threadsBefore = 0;
beforeAll(() => {
  threadsBefore = addon().info().threads;
});
afterAll(() => {
  addon().setThreads(threadsBefore);
  addon().setDealing('owned');
});

/** The chunks each thread ran, in the order it started them. */
function byThread(trace: { thread: Int32Array; order: Int32Array }, threads: number): number[][] {
  const runs: number[][] = Array.from({ length: threads }, () => []);
  const chunks = [...trace.thread.keys()].sort((a, b) => (trace.order[a] as number) - (trace.order[b] as number));
  for (const c of chunks) runs[trace.thread[c] as number]?.push(c);
  return runs;
}

function expectEveryChunkOnce(trace: { thread: Int32Array; order: Int32Array }, tasks: number, threads: number) {
  expect([...trace.order].sort((a, b) => a - b)).toEqual([...Array(tasks).keys()]);
  for (const t of trace.thread) expect(t >= 0 && t < threads).toBe(true);
}

describe('owned dealing', () => {
  it.each([
    [2, 16, [0, 8]],
    [3, 16, [0, 5, 10]],
    [2, 7, [0, 3]],
  ])('%i threads, %i chunks: each thread starts on its own share (first chunks %j)', (threads, tasks, firsts) => {
    addon().setThreads(threads);
    addon().setDealing('owned');
    expect(addon().info().dealing).toBe('owned');
    for (let rep = 0; rep < 5; rep++) {
      // 'meet': the shares' first chunks wait for one another, so no thread can finish its share
      // and take another's first chunk before that share's owner has started
      const trace = addon().poolTrace(tasks, 'meet');
      expectEveryChunkOnce(trace, tasks, threads);
      expect(byThread(trace, threads).map((run) => run[0])).toEqual(firsts);
    }
  });

  it("a stalled thread's share is finished by the others", () => {
    addon().setThreads(2);
    addon().setDealing('owned');
    for (let rep = 0; rep < 5; rep++) {
      // the first chunk of the second share (8) waits until all 15 others are done
      const trace = addon().poolTrace(16, 'stall');
      expectEveryChunkOnce(trace, 16, 2);
      const stalled = trace.thread[8] as number;
      for (let c = 9; c < 16; c++) expect(trace.thread[c]).not.toBe(stalled);
    }
  });
});

describe('shared dealing', () => {
  it('every chunk runs once, also when the shares meet or a thread stalls', () => {
    addon().setThreads(2);
    addon().setDealing('shared');
    expect(addon().info().dealing).toBe('shared');
    for (const wait of ['none', 'meet', 'stall'] as const) expectEveryChunkOnce(addon().poolTrace(16, wait), 16, 2);
    addon().setDealing('owned');
  });

  it('rejects an unknown mode and bad trace arguments', () => {
    expect(() => addon().setDealing('static' as 'owned')).toThrow("the dealing must be 'owned' or 'shared'");
    expect(() => addon().poolTrace(0, 'none')).toThrow('tasks must be in [1, 65536]');
    expect(() => addon().poolTrace(4, 'later' as 'none')).toThrow("wait must be 'none', 'meet' or 'stall'");
  });
});

it('a GEMM gives the same bits under both dealings (ALBERT-base FFN shape, 2 and 3 threads)', () => {
  const [m, k, n] = [61, 768, 3072];
  const a = random(m * k, 1);
  const b = random(k * n, 2);
  const bias = random(n, 3);
  for (const threads of [2, 3]) {
    addon().setThreads(threads);
    const out: Float32Array[] = [];
    for (const mode of ['owned', 'shared', 'owned'] as const) {
      addon().setDealing(mode);
      const c = new Float32Array(m * n);
      addon().gemm(a, b, c, 1, m, n, k, 0, 0, false, false, null, bias, 0, 0);
      out.push(c);
    }
    // and against a float64 sum for a sample of entries
    for (let i = 0; i < m; i += 7)
      for (let j = 0; j < n; j += 97) {
        let s = bias[j] as number;
        for (let q = 0; q < k; q++) s += (a[i * k + q] as number) * (b[q * n + j] as number);
        expect(Math.abs((out[0]?.[i * n + j] as number) - s)).toBeLessThan(1e-4);
      }
    expect(out[1]).toEqual(out[0]);
    expect(out[2]).toEqual(out[0]);
  }
  addon().setDealing('owned');
});
