// QA span decoding against a direct transcription of Hugging Face's steps (question_answering.py:
// mask with -10000, softmax, null score, zero [CLS], outer product, triu/tril band, filter to the
// context), written as plainly as possible, on random windows.
import { SeededRandom } from '@albert-ts/core';
import { describe, expect, it } from 'vitest';
import { answerRange, bestSpans } from '../src/pipelines/qa-spans.js';

// deterministic uniforms in [0, 1) from albert-ts's one seeded generator family
function rng(seed: number): () => number {
  const g = new SeededRandom(seed);
  return () => g.uniform();
}

function reference(start: number[], end: number[], context: number[], topK: number, maxLen: number) {
  const undesired = context.map((c, i) => (c === 1 || i === 0 ? 1 : 0));
  const soft = (x: number[]) => {
    const m = x.map((v, i) => (undesired[i] === 0 ? -10000 : v));
    const max = Math.max(...m);
    const e = m.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  };
  const ps = soft(start);
  const pe = soft(end);
  const nullScore = (ps[0] as number) * (pe[0] as number);
  ps[0] = 0;
  pe[0] = 0;
  const all: { start: number; end: number; score: number }[] = [];
  for (let s = 0; s < ps.length; s++)
    for (let e = 0; e < pe.length; e++) {
      const inBand = e >= s && e - s <= maxLen - 1;
      all.push({ start: s, end: e, score: inBand ? (ps[s] as number) * (pe[e] as number) : 0 });
    }
  const spans = all
    .filter((c) => c.score > 0 && context[c.start] === 1 && context[c.end] === 1)
    .sort((a, b) => b.score - a.score)
    .slice(0, topK);
  return { spans, nullScore };
}

describe('bestSpans', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('random window %i: the same spans and scores as HF', (seed) => {
    const r = rng(seed);
    const n = 20 + Math.floor(r() * 30);
    const q = 2 + Math.floor(r() * 6); // [CLS] question [SEP] context [SEP] pad…
    const pad = Math.floor(r() * 5);
    const context = Array.from({ length: n }, (_, i) => (i > q && i < n - 1 - pad ? 1 : 0));
    const start = Array.from({ length: n }, () => r() * 8 - 4);
    const end = Array.from({ length: n }, () => r() * 8 - 4);
    const topK = 1 + Math.floor(r() * 5);
    const maxLen = 1 + Math.floor(r() * 10);
    const got = bestSpans({ startLogits: start, endLogits: end, context, cls: 0 }, topK, maxLen);
    const want = reference(start, end, context, topK, maxLen);
    expect(got.nullScore).toBeCloseTo(want.nullScore, 12);
    expect(got.spans.map((s) => [s.start, s.end])).toEqual(want.spans.map((s) => [s.start, s.end]));
    got.spans.forEach((s, i) => {
      expect(s.score).toBeCloseTo(want.spans[i]?.score as number, 12);
      expect(s.end - s.start).toBeLessThan(maxLen);
    });
  });
});

describe('answerRange', () => {
  const context = 'The capital of France is Paris, a city.';
  it('drops the space a leading ▁ token spans', () => {
    expect(answerRange(context, 24, 30, false)).toEqual([25, 30]); // " Paris" -> "Paris"
  });
  it('widens a subword span to whole words (whitespace-delimited, as a Metaspace word)', () => {
    expect(answerRange(context, 26, 28, true)).toEqual([25, 31]); // "ar" -> "Paris,"
    expect(context.slice(25, 31)).toBe('Paris,');
  });
});
