// postprocessQaPredictions against the rules of Hugging Face's postprocess_qa_predictions
// (transformers examples/pytorch/question-answering/utils_qa.py). Every expected answer, n-best
// order and probability below is worked out by hand from those rules; the derivation is in the
// comments. Features are built by hand: tokens 0 [CLS], 1 question, 2 [SEP], then context tokens,
// then [SEP] (and padding); offsets -1 outside the context, as run_qa.py sets them to None.
import { describe, expect, it } from 'vitest';
import { postprocessQaPredictions, type QaCandidate, TaskInputError } from '../src/index.js';
import { thrown } from './load.js';

const ABC = 'abc def ghi'; // abc [0,3) def [4,7) ghi [8,11)
const ABCD = 'abc def ghi jkl'; // ... jkl [12,15)

/** A feature whose token i maps to spans[i] (null: not context). */
function feature(exampleIndex: number, spans: ([number, number] | null)[]) {
  const offsets = new Int32Array(2 * spans.length).fill(-1);
  spans.forEach((s, i) => {
    if (s !== null) [offsets[2 * i], offsets[2 * i + 1]] = s;
  });
  return { exampleIndex, offsets };
}
// [CLS] q [SEP] abc def ghi [SEP]
const f7 = (ex = 0) => feature(ex, [null, null, null, [0, 3], [4, 7], [8, 11], null]);
const texts = (nbest: QaCandidate[] | undefined) => nbest?.map((c) => c.text);
const softmax = (scores: number[]) => {
  const m = Math.max(...scores);
  const z = scores.reduce((a, s) => a + Math.exp(s - m), 0);
  return scores.map((s) => Math.exp(s - m) / z);
};

describe('SQuAD v1 (no null answer)', () => {
  it('picks the best start+end pair in the context; n-best sorted by score, softmax over the list', () => {
    // valid pairs (start ≤ end, both context): (3,3)=1+0 (3,4)=1+2 (3,5)=1+1 (4,4)=3+2 (4,5)=3+1 (5,5)=0+1
    const start = [[0.1, 0.2, 0.3, 1, 3, 0, 0.4]];
    const end = [[0.1, 0.2, 0.3, 0, 2, 1, 0.4]];
    const [p] = postprocessQaPredictions([{ context: ABC, id: 'q1' }], [f7()], start, end, { returnNbest: true });
    expect(p?.id).toBe('q1');
    expect([p?.kind, p?.text, p?.start, p?.end]).toEqual(['span', 'def', 4, 7]);
    expect(p?.nullScoreDiff).toBeNull();
    // scores 5, 4, 3, 2, 1, 1; the two 1s in the order found: start 3 (logit 1) is tried before start 5 (logit 0)
    expect(texts(p?.nbest)).toEqual(['def', 'def ghi', 'abc def', 'abc def ghi', 'abc', 'ghi']);
    expect(p?.nbest?.map((c) => c.score)).toEqual([5, 4, 3, 2, 1, 1]);
    expect(p?.nbest?.map((c) => [c.start, c.end])).toEqual([
      [4, 7],
      [4, 11],
      [0, 7],
      [0, 11],
      [0, 3],
      [8, 11],
    ]);
    const probs = softmax([5, 4, 3, 2, 1, 1]);
    expect(p?.nbest?.map((c) => c.probability)).toEqual(probs.map((x) => expect.closeTo(x, 12)));
    expect(p?.probability).toBeCloseTo(probs[0] as number, 12);
    expect(p?.nbest?.[0]).toMatchObject({ startLogit: 3, endLogit: 2 });
  });

  it('never ends (or starts) outside the context: [SEP] and question tokens are skipped', () => {
    // the highest end logits sit on [SEP] (10) and the question (9); inside: ghi 1, def 0.5
    // best valid: start def (3) with end ghi (1) = 4 > def..def 3.5
    const start = [[0, 0.1, 0.2, -1, 3, -2, 0.3]];
    const end = [[0, 9, 0.2, -1, 0.5, 1, 10]];
    const [p] = postprocessQaPredictions([{ context: ABC }], [f7()], start, end);
    expect(p?.text).toBe('def ghi');
    expect(p?.id).toBeUndefined();
  });

  it('maxAnswerLength counts tokens: a 3-token span is dropped at 2', () => {
    // (3,3)=5+1.25 (3,4)=5+1.5 (3,5)=5+5 (4,4)=1+1.5 (4,5)=1+5 (5,5)=0.5+5
    const start = [[-1, -2, -3, 5, 1, 0.5, -4]];
    const end = [[-1, -2, -3, 1.25, 1.5, 5, -4]];
    const long = postprocessQaPredictions([{ context: ABC }], [f7()], start, end);
    expect(long[0]?.text).toBe('abc def ghi'); // 10
    const [p] = postprocessQaPredictions([{ context: ABC }], [f7()], start, end, {
      maxAnswerLength: 2,
      returnNbest: true,
    });
    expect(texts(p?.nbest)).toEqual(['abc def', 'abc', 'def ghi', 'ghi', 'def']); // 6.5, 6.25, 6, 5.5, 2.5
  });

  it('end before start is no answer', () => {
    // the best start (ghi) comes after the best end (abc): pairs with end < start are skipped
    const start = [[-1, -2, -3, 0, 0.5, 4, -4]];
    const end = [[-1, -2, -3, 4, 0.5, 0, -4]];
    const [p] = postprocessQaPredictions([{ context: ABC }], [f7()], start, end, { returnNbest: true });
    // (3,3)=4 (3,4)=0.5 (3,5)=0 (4,4)=1 (4,5)=0.5 (5,5)=4: the two 4s in the order found (start ghi first)
    expect(texts(p?.nbest)).toEqual(['ghi', 'abc', 'def', 'def ghi', 'abc def', 'abc def ghi']);
  });

  it('takes the nBestSize largest logits over the whole row: when they all sit outside the context, no answer ("empty")', () => {
    // top-2 starts are the question token (10) and [CLS] (9): no valid pair → HF's "empty" placeholder
    const start = [[9, 10, -1, -2, 8, -3, -4]];
    const end = [[-1, -2, -3, -4, 5, 4, -5]];
    const [p] = postprocessQaPredictions([{ context: ABC }], [f7()], start, end, { nBestSize: 2, returnNbest: true });
    expect([p?.kind, p?.text, p?.probability]).toEqual(['empty', 'empty', 1]);
    expect(p?.nbest).toEqual([
      { kind: 'empty', text: 'empty', start: 0, end: 0, startLogit: 0, endLogit: 0, score: 0, probability: 1 },
    ]);
    // with 3, start def (8) joins: (4,4)=13 beats (4,5)=12
    const [q] = postprocessQaPredictions([{ context: ABC }], [f7()], start, end, { nBestSize: 3 });
    expect(q?.text).toBe('def');
  });

  it('spans never cross windows; equal scores from two windows keep window order', () => {
    // window 0: [CLS] q [SEP] abc def ghi [SEP]; window 1: [CLS] q [SEP] ghi jkl [SEP] pad
    const w0 = feature(0, [null, null, null, [0, 3], [4, 7], [8, 11], null]);
    const w1 = feature(0, [null, null, null, [8, 11], [12, 15], null, null]);
    // the best start (abc, window 0) and the best end (jkl, window 1) cannot pair up
    const start = [
      [-5, -6, -7, 6, 1, 0.5, -8],
      [-5, -6, -7, 0, 0.2, -8, -9],
    ];
    const end = [
      [-5, -6, -7, 0, 0.5, 1, -8],
      [-5, -6, -7, 0.1, 7, -8, -9],
    ];
    const [p] = postprocessQaPredictions([{ context: ABCD }], [w0, w1], start, end, { returnNbest: true });
    // window 0: abc def ghi 7, abc def 6.5, abc 6, def ghi 2, def 1.5, ghi 1.5; window 1: jkl 7.2, ghi jkl 7, ghi 0.1
    // 7 = 7: window 0's is first; 1.5 = 1.5: start def (1) tried before start ghi (0.5)
    expect(texts(p?.nbest)).toEqual([
      'jkl',
      'abc def ghi',
      'ghi jkl',
      'abc def',
      'abc',
      'def ghi',
      'def',
      'ghi',
      'ghi',
    ]);
    expect([p?.text, p?.start, p?.end]).toEqual(['jkl', 12, 15]);
    expect(p?.nbest?.map((c) => c.score)).toEqual([7.2, 7, 7, 6.5, 6, 2, 1.5, 1.5, 0.1]);
  });

  it('keeps nBestSize candidates', () => {
    const start = [[0.1, 0.2, 0.3, 1, 3, 0, 0.4]];
    const end = [[0.1, 0.2, 0.3, 0, 2, 1, 0.4]];
    const [p] = postprocessQaPredictions([{ context: ABC }], [f7()], start, end, { nBestSize: 3, returnNbest: true });
    // top-3 starts: def 3, abc 1, [SEP] 0.4; top-3 ends: def 2, ghi 1, [SEP] 0.4
    // pairs: (4,4)=5 (4,5)=4 (3,4)=3 (3,5)=2 → the first 3
    expect(texts(p?.nbest)).toEqual(['def', 'def ghi', 'abc def']);
    const probs = softmax([5, 4, 3]);
    expect(p?.nbest?.map((c) => c.probability)).toEqual(probs.map((x) => expect.closeTo(x, 12)));
  });

  it('adds Float32Array logits in float32, as numpy adds float32 logits', () => {
    // context abc def ghi jkl at tokens 3..6. Y = (ghi, jkl) = 1 + 0.5; X = (abc, def) = (0.5 + 2^-24) + 1.
    // float64: X = 1.5000000596 > Y. float32: 1.5 + 2^-24 rounds to 1.5 (ties to even) = Y, and Y is
    // found first (its start logit 1 outranks 0.5 + 2^-24), so Y wins.
    const spans: ([number, number] | null)[] = [null, null, null, [0, 3], [4, 7], [8, 11], [12, 15], null];
    const start = [-4, -5, -6, 0.5 + 2 ** -24, -1, 1, -2, -7];
    const end = [-4, -5, -6, -3, 1, -2, 0.5, -7];
    expect(Math.fround(0.5 + 2 ** -24)).toBe(0.5 + 2 ** -24);
    const f32 = postprocessQaPredictions(
      [{ context: ABCD }],
      [feature(0, spans)],
      [Float32Array.from(start)],
      [Float32Array.from(end)],
    );
    expect(f32[0]?.text).toBe('ghi jkl');
    const f64 = postprocessQaPredictions([{ context: ABCD }], [feature(0, spans)], [start], [end]);
    expect(f64[0]?.text).toBe('abc def');
    // one flat Float32Array [features × seq] is split into rows
    const flat = postprocessQaPredictions(
      [{ context: ABCD }],
      [feature(0, spans)],
      Float32Array.from(start),
      Float32Array.from(end),
    );
    expect(flat[0]?.text).toBe('ghi jkl');
  });

  it('equal logits in one row: the later token first (a stable argsort reversed; numpy’s own order is unspecified)', () => {
    const start = [[0, 0, 0, 1, 1, 1, 0]];
    const end = [[0, 0, 0, 1, 1, 1, 0]];
    const [p] = postprocessQaPredictions([{ context: ABC }], [f7()], start, end, { returnNbest: true });
    // starts tried 5, 4, 3; ends 5, 4, 3: (5,5) (4,5) (4,4) (3,5) (3,4) (3,3), all 2
    expect(texts(p?.nbest)).toEqual(['ghi', 'def ghi', 'def', 'abc def ghi', 'abc def', 'abc']);
  });
});

describe('SQuAD v2 (null answer)', () => {
  // null = start[0] + end[0] = 5; best non-null (abc, def) = 1 + 1 = 2; diff = 5 − 1 − 1 = 3
  const start = [[3, -1, -2, 1, 0.5, 0, -3]];
  const end = [[2, -1, -2, 0.5, 1, 0, -3]];

  it('predicts no answer when null score − best span’s logits > threshold', () => {
    const [p] = postprocessQaPredictions([{ context: ABC }], [f7()], start, end, {
      versionTwoWithNegative: true,
      returnNbest: true,
    });
    expect([p?.kind, p?.text, p?.start, p?.end, p?.nullScoreDiff]).toEqual(['null', '', 0, 0, 3]);
    // null 5, (3,4) 2, (3,3) 1.5, (4,4) 1.5, (3,5) 1, (4,5) 0.5, (5,5) 0
    expect(texts(p?.nbest)).toEqual(['', 'abc def', 'abc', 'def', 'abc def ghi', 'def ghi', 'ghi']);
    expect(p?.probability).toBeCloseTo(softmax([5, 2, 1.5, 1.5, 1, 0.5, 0])[0] as number, 12);
    expect(p?.nbest?.[0]).toMatchObject({ kind: 'null', startLogit: 3, endLogit: 2, score: 5 });
  });

  it('the threshold decides: diff 3 > 2.9 → null; 3 > 3 is false → the span', () => {
    const at = (t: number) =>
      postprocessQaPredictions([{ context: ABC }], [f7()], start, end, {
        versionTwoWithNegative: true,
        nullScoreDiffThreshold: t,
      })[0]?.text;
    expect(at(2.9)).toBe('');
    expect(at(3)).toBe('abc def');
    expect(at(10)).toBe('abc def');
  });

  it('the null score is the LOWEST [CLS] score over the windows', () => {
    // window 0: null 5, window 1: null 0.5 + 0.5 = 1 → diff = 1 − 1 − 1 = −1 → the span
    const w1 = f7();
    const s = [start[0] as number[], [0.5, -1, -2, -3, -4, -5, -6]];
    const e = [end[0] as number[], [0.5, -1, -2, -3, -4, -5, -6]];
    const [p] = postprocessQaPredictions([{ context: ABC }], [f7(), w1], s, e, {
      versionTwoWithNegative: true,
      returnNbest: true,
    });
    expect([p?.text, p?.nullScoreDiff]).toEqual(['abc def', -1]);
    expect(p?.nbest?.find((c) => c.kind === 'null')).toMatchObject({ score: 1, startLogit: 0.5, endLogit: 0.5 });
  });

  it('puts the null answer back at the end of the n-best list when it fell off', () => {
    const s = [[-5, -1, -2, 1, 0.5, 0, -3]];
    const e = [[-5, -1, -2, 0.5, 1, 0, -3]];
    const [p] = postprocessQaPredictions([{ context: ABC }], [f7()], s, e, {
      versionTwoWithNegative: true,
      nBestSize: 2,
      returnNbest: true,
    });
    // top-2 starts abc, def; ends def, abc: (3,4)=2 (3,3)=1.5 (4,4)=1.5 → first 2, then null (−10)
    expect(texts(p?.nbest)).toEqual(['abc def', 'abc', '']);
    const probs = softmax([2, 1.5, -10]);
    expect(p?.nbest?.map((c) => c.probability)).toEqual(probs.map((x) => expect.closeTo(x, 12)));
    expect([p?.text, p?.nullScoreDiff]).toEqual(['abc def', -12]);
  });

  it('only the null answer: HF puts "empty" (logits 0) first and compares against it', () => {
    // no valid pair (every context logit is far below the top-2, which are [CLS] and the question)
    const s = [[2, 3, -1, -5, -6, -7, -8]];
    const lose = [[3, 4, -1, -5, -6, -7, -8]];
    const run = (e: number[][]) =>
      postprocessQaPredictions([{ context: ABC }], [f7()], s, e, {
        versionTwoWithNegative: true,
        nBestSize: 2,
        returnNbest: true,
      })[0];
    // null = 2 + 3 = 5; diff = 5 − 0 − 0 = 5 > 0 → ''
    const p = run(lose);
    expect([p?.text, p?.nullScoreDiff]).toEqual(['', 5]);
    expect(texts(p?.nbest)).toEqual(['empty', '']);
    // null = 2 + (−3) = −1: diff −1 ≤ 0 → HF answers with the placeholder text "empty"
    const q = run([[-3, 4, -1, -5, -6, -7, -8]]);
    expect([q?.kind, q?.text, q?.nullScoreDiff]).toEqual(['empty', 'empty', -1]);
  });
});

describe('input checks', () => {
  it('an example without windows gets the "empty" placeholder (HF fails on it)', () => {
    const [p, q] = postprocessQaPredictions(
      [{ context: ABC }, { context: 'no windows' }],
      [f7()],
      [[0, 0, 0, 1, 2, 3, 0]],
      [[0, 0, 0, 1, 2, 3, 0]],
      {
        versionTwoWithNegative: true,
      },
    );
    expect(p?.text).toBe('ghi');
    expect([q?.kind, q?.text, q?.nullScoreDiff]).toEqual(['empty', 'empty', null]);
  });

  it('rejects NaN logits, rows that do not match the features, and features of unknown examples', () => {
    const ok = [[0, 0, 0, 1, 2, 3, 0]];
    expect(
      thrown(() => postprocessQaPredictions([{ context: ABC }], [f7()], [[Number.NaN, 0, 0, 1, 2, 3, 0]], ok)),
    ).toBeInstanceOf(TaskInputError);
    expect(thrown(() => postprocessQaPredictions([{ context: ABC }], [f7()], [...ok, ...ok], ok)).message).toBe(
      'start logits: 2 rows for 1 features; give one row per feature',
    );
    expect(thrown(() => postprocessQaPredictions([{ context: ABC }], [f7(1)], ok, ok)).message).toBe(
      'feature 0 points at example 1, but there are 1',
    );
  });
});
