// The token batch every engine sees: seeded ids in [5, vocab), all positions real, segment 0
// for the first half and 1 for the second.

export interface BenchInputs {
  batch: number;
  seq: number;
  inputIds: Int32Array; // [batch * seq]
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
}

export function benchInputs(batch: number, seq: number, vocab: number, seed = 1234): BenchInputs {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0; // LCG: plenty for token ids
    return s / 2 ** 32;
  };
  const n = batch * seq;
  const inputIds = new Int32Array(n);
  const tokenTypeIds = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    inputIds[i] = 5 + Math.floor(next() * (vocab - 5));
    tokenTypeIds[i] = i % seq < seq / 2 ? 0 : 1;
  }
  return { batch, seq, inputIds, attentionMask: new Int32Array(n).fill(1), tokenTypeIds };
}
