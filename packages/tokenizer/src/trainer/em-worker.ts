// A worker thread of the EM runner: owns words [from, to) of the shared word table and answers
// E-step and Viterbi-count requests for the pieces it is sent.

import { parentPort, workerData } from 'node:worker_threads';
import { eStepRange, viterbiCounts } from './em.js';
import { PieceLattice } from './piece-lattice.js';
import type { WordTable } from './words.js';

interface Data {
  chars: Int32Array;
  offsets: Int32Array;
  counts: Float64Array;
  alphabet: [number, number][];
  maxLength: number;
  from: number;
  to: number;
}

const data = workerData as Data;
const words: WordTable = {
  chars: data.chars,
  offsets: data.offsets,
  counts: data.counts,
  endCounts: new Float64Array(0), // not needed for EM
  alphabet: new Map(data.alphabet),
  maxLength: data.maxLength,
};

parentPort?.on('message', (m: { op: 'estep' | 'viterbi'; pieces: string[]; scores: Float64Array }) => {
  const model = new PieceLattice(
    m.pieces.map((piece, i) => ({ piece, score: m.scores[i] as number })),
    words.alphabet,
  );
  if (m.op === 'estep') {
    const part = eStepRange(model, words, data.from, data.to);
    parentPort?.postMessage(part, [part.expected.buffer as ArrayBuffer]);
  } else {
    const part = viterbiCounts(model, words, data.from, data.to);
    parentPort?.postMessage(part, [part.freq.buffer as ArrayBuffer]);
  }
});
