// A against B in one process, so the host's drift hits both alike: `rounds` pairs of turns,
// alternated A B, B A, A B, … (neither always goes first); a turn is `untimed` calls (to let caches
// settle into that side's state), then `timed` calls whose mean is its time. Medians, their ratio
// and in how many pairs B was faster. The A/B benches (huge-pages, dealing) time forwards with it.
import { performance } from 'node:perf_hooks';
import { median } from './stats.js';

export interface Alternated {
  /** ms per call of every turn of A, then of B, in round order */
  times: [number[], number[]];
  medianA: number;
  medianB: number;
  /** medianA / medianB: above 1 when B is faster */
  ratio: number;
  /** pairs in which B was faster */
  bFaster: number;
}

export async function alternate(
  rounds: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  { untimed = 0, timed = 1 } = {},
): Promise<Alternated> {
  const times: [number[], number[]] = [[], []];
  const run = [a, b] as const;
  for (let r = 0; r < rounds; r++) {
    for (const j of r % 2 === 0 ? [0, 1] : [1, 0]) {
      const side = run[j] as () => Promise<unknown>;
      for (let i = 0; i < untimed; i++) await side();
      const t0 = performance.now();
      for (let i = 0; i < timed; i++) await side();
      (times[j] as number[]).push((performance.now() - t0) / timed);
    }
  }
  const [medianA, medianB] = [median(times[0]), median(times[1])];
  const bFaster = times[1].filter((t, i) => t < (times[0][i] as number)).length;
  return { times, medianA, medianB, ratio: medianA / medianB, bFaster };
}
