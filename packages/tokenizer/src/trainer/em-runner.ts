// Runs the word-level passes of EM (E-step, Viterbi counts for pruning) in this thread or split over
// worker threads (Node's worker_threads; `numThreads` like spm_train's --num_threads). Each worker
// holds a fixed slice of the words (shared memory, no copies); per pass it gets the current pieces,
// builds its own lattice model, and sends back its partial sums.

import {
  type EStepResult,
  eStepRange,
  mergeEStep,
  mergeViterbiCounts,
  type ViterbiCounts,
  viterbiCounts,
} from './em.js';
import type { PieceLattice } from './piece-lattice.js';
import type { WordTable } from './words.js';

export interface EmRunner {
  eStep(model: PieceLattice): Promise<EStepResult>;
  viterbiCounts(model: PieceLattice): Promise<ViterbiCounts>;
  close(): Promise<void>;
}

export async function createEmRunner(words: WordTable, numThreads: number): Promise<EmRunner> {
  const numWords = words.counts.length;
  if (numThreads <= 1 || numWords < 1000) {
    return {
      eStep: async (model) => mergeEStep([eStepRange(model, words, 0, numWords)], words),
      viterbiCounts: async (model) => viterbiCounts(model, words, 0, numWords),
      close: async () => {},
    };
  }
  const { Worker } = await import('node:worker_threads');
  const shared = {
    chars: toShared(words.chars),
    offsets: toShared(words.offsets),
    counts: toShared(words.counts),
    alphabet: [...words.alphabet.entries()],
    maxLength: words.maxLength,
  };
  // Word ranges of about equal character counts.
  const bounds = [0];
  const totalChars = words.offsets[numWords] as number;
  for (let t = 1, w = 0; t < numThreads; t++) {
    while (w < numWords && (words.offsets[w] as number) < (totalChars * t) / numThreads) w++;
    bounds.push(w);
  }
  bounds.push(numWords);

  // From the sources (tsx, vitest) the worker is TypeScript: register tsx in it first, and resolve
  // workspace packages (@albert-ts/common) to their sources.
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './em-worker.ts' : './em-worker.js', import.meta.url);
  const workers = bounds.slice(0, -1).map((from, k) => {
    const workerData = { ...shared, from, to: bounds[k + 1] };
    if (!source) return new Worker(entry, { workerData });
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
    const execArgv = [...process.execArgv, '--conditions=@albert-ts/source'];
    return new Worker(boot, { eval: true, workerData, execArgv });
  });
  const ask = <T>(op: 'estep' | 'viterbi', model: PieceLattice): Promise<T[]> => {
    const message = { op, pieces: model.pieces, scores: model.scores };
    return Promise.all(
      workers.map(
        (worker) =>
          new Promise<T>((resolve, reject) => {
            const onError = (e: Error) => reject(e);
            worker.once('error', onError);
            worker.once('message', (result: T) => {
              worker.off('error', onError);
              resolve(result);
            });
            worker.postMessage(message);
          }),
      ),
    );
  };
  return {
    eStep: async (model) => mergeEStep(await ask('estep', model), words),
    viterbiCounts: async (model) => mergeViterbiCounts(await ask('viterbi', model)),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function toShared<T extends Int32Array | Float64Array>(a: T): T {
  const buffer = new SharedArrayBuffer(a.byteLength);
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(buffer);
  copy.set(a);
  return copy;
}
