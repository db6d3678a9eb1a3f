// question-answering's options end to end on tiny-qa, on every Node backend: maxAnswerLen,
// handleImpossibleAnswer and a context longer than the model, against HF's QuestionAnsweringPipeline
// rules applied here to the head's own start/end logits from plain forward passes of each window:
// logits outside the context (but [CLS]) set to -10000, softmax per window, null score
// p_start[CLS]·p_end[CLS] (the lowest over the windows), spans s ≤ e < s + maxAnswerLen inside the
// context scored p_start(s)·p_end(e), best first.
import { AlbertForQuestionAnswering } from '@albert-ts/heads';
import { AlbertTokenizer, type Encoding } from '@albert-ts/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, pipeline, type QuestionAnsweringPipeline } from '../src/index.js';
import { nodeBackends, noLeak, softmax, useBackend } from './helpers/backends.js';
import { fixture } from './helpers/fixtures.js';
import { forwardOne } from './helpers/reference.js';

const BACKENDS = await nodeBackends();
const WINDOW = 64; // tiny-qa's max_position_embeddings
const TEXT = 'Alice followed the White Rabbit down to Wonderland, where the Queen of Hearts ruled.';
const QUESTION = 'Who followed the White Rabbit?';
const LONG =
  'So she was considering in her own mind, as well as she could, for the hot day made her feel very sleepy and stupid, ' +
  'whether the pleasure of making a daisy-chain would be worth the trouble of getting up and picking the daisies, ' +
  'when suddenly a White Rabbit with pink eyes ran close by her. There was nothing so very remarkable in that.';

/** A candidate answer: window, first and last token, score, and its [start, end) in the context. */
interface Span {
  window: number;
  s: number;
  e: number;
  score: number;
  start: number;
  end: number;
}

/** The context's [start, end) covered by tokens s..e of a window, without surrounding spaces. */
function charRange(w: Encoding, context: string, s: number, e: number): [number, number] {
  let start = w.offsets[2 * s] as number;
  let end = w.offsets[2 * e + 1] as number;
  while (start < end && context[start] === ' ') start++;
  while (end > start && context[end - 1] === ' ') end--;
  return [start, end];
}

describe.each(BACKENDS)('question-answering options on %s', (backend) => {
  useBackend(backend);
  let qa: QuestionAnsweringPipeline;
  let head: AlbertForQuestionAnswering;
  let tok: AlbertTokenizer;
  beforeAll(async () => {
    qa = await pipeline('question-answering', fixture('tiny-qa'), { batchSize: 2 });
    head = await AlbertForQuestionAnswering.fromPretrained(fixture('tiny-qa'), { warn: () => {} });
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-qa')}/spiece.model`);
  });
  afterAll(() => {
    qa.dispose();
    head.dispose();
  });

  /** The windows HF's scheme cuts: WINDOW tokens, the question in each, docStride context tokens shared. */
  function windows(question: string, context: string, docStride: number): Encoding[] {
    const enc = tok.encode(question, context, {
      maxLength: WINDOW,
      truncation: 'only_second',
      stride: docStride,
      returnOverflowingTokens: true,
    });
    return [enc, ...enc.overflow];
  }

  /** Per window: start and end probabilities and the null score. */
  function probabilities(w: Encoding): { ps: number[]; pe: number[]; nullScore: number } {
    const [start, end] = forwardOne(head, w, ['startLogits', 'endLogits']) as [number[], number[]];
    const allowed = (p: number) => w.sequenceIds[p] === 1 || p === 0;
    const ps = softmax(start.map((v, p) => (allowed(p) ? v : -10000)));
    const pe = softmax(end.map((v, p) => (allowed(p) ? v : -10000)));
    return { ps, pe, nullScore: (ps[0] as number) * (pe[0] as number) };
  }

  /**
   * Every span of every window under maxAnswerLen that has text, best first (a lone ▁ token covers only
   * a space: HF would answer ' ', the pipeline leaves it out), and each window's null score.
   */
  function reference(
    ws: Encoding[],
    context: string,
    maxAnswerLen: number,
    withEmpty = false,
  ): { spans: Span[]; nulls: number[] } {
    const spans: Span[] = [];
    const nulls: number[] = [];
    ws.forEach((w, window) => {
      const { ps, pe, nullScore } = probabilities(w);
      nulls.push(nullScore);
      const n = w.inputIds.length;
      for (let s = 0; s < n; s++)
        for (let e = s; e < n && e - s + 1 <= maxAnswerLen; e++) {
          if (w.sequenceIds[s] !== 1 || w.sequenceIds[e] !== 1) continue;
          const [start, end] = charRange(w, context, s, e);
          if (start === end && !withEmpty) continue;
          spans.push({ window, s, e, score: (ps[s] as number) * (pe[e] as number), start, end });
        }
    });
    return { spans: spans.sort((a, b) => b.score - a.score), nulls };
  }

  /** How many context tokens of window w overlap the answer's [start, end). */
  const tokensIn = (w: Encoding, a: Answer) =>
    [...w.sequenceIds].filter(
      (id, p) => id === 1 && (w.offsets[2 * p + 1] as number) > a.start && (w.offsets[2 * p] as number) < a.end,
    ).length;

  it.each([1, 2, 3])(
    'maxAnswerLen %i: the best spans of at most that many tokens, by p_start·p_end',
    async (maxAnswerLen) => {
      const got = (await noLeak(() =>
        qa({ question: QUESTION, context: TEXT }, { topK: 5, maxAnswerLen, alignToWords: false }),
      )) as Answer[];
      const w = windows(QUESTION, TEXT, 128);
      expect(w).toHaveLength(1);
      const want = reference(w, TEXT, maxAnswerLen).spans.slice(0, 5);
      expect(got.map((a) => [a.answer, a.start, a.end])).toEqual(
        want.map((s) => [TEXT.slice(s.start, s.end), s.start, s.end]),
      );
      got.forEach((a, k) => {
        expect(a.score).toBeCloseTo((want[k] as Span).score, 6);
        expect(tokensIn(w[0] as Encoding, a)).toBeLessThanOrEqual(maxAnswerLen);
      });
      // the limit binds: without it, longer spans are among the best five
      const free = reference(w, TEXT, 15).spans.slice(0, 5);
      expect(free.some((s) => s.e - s.s + 1 > maxAnswerLen)).toBe(true);
    },
  );

  it('maxAnswerLen 1 with alignToWords: the best single tokens, widened to their whole words', async () => {
    const got = (await noLeak(() =>
      qa({ question: QUESTION, context: TEXT }, { topK: 4, maxAnswerLen: 1 }),
    )) as Answer[];
    const words = [...TEXT.matchAll(/\S+/g)].map((m) => [m.index, m.index + m[0].length] as const);
    const want = reference(windows(QUESTION, TEXT, 128), TEXT, 1)
      .spans.slice(0, 4)
      .map((s) => {
        const [start] = words.find(([a, b]) => a <= s.start && s.start < b) as readonly [number, number];
        const [, end] = words.find(([a, b]) => a < s.end && s.end <= b) as readonly [number, number];
        return { answer: TEXT.slice(start, end), score: s.score, start, end };
      });
    expect(got.map(({ score, ...a }) => a)).toEqual(want.map(({ score, ...a }) => a));
    got.forEach((a, k) => {
      expect(a.score).toBeCloseTo((want[k] as Answer).score, 6);
    });
    // some answer is a token inside a longer word ('ed' of 'followed', 's' of 'Hearts', …)
    const single = reference(windows(QUESTION, TEXT, 128), TEXT, 1).spans.slice(0, 4);
    expect(single.some((s, k) => s.end - s.start < (want[k] as Answer).end - (want[k] as Answer).start)).toBe(true);
  });

  it('handleImpossibleAnswer: the empty answer (0, 0) scores p_start[CLS]·p_end[CLS] and wins where that beats every span', async () => {
    // a one-word context where the fixture's [CLS] probabilities outweigh every span
    const input = { question: 'Why?', context: 'Wonderland' };
    const w = windows(input.question, input.context, 128);
    const { spans, nulls } = reference(w, input.context, 15);
    const best = spans[0] as Span;
    expect(nulls[0]).toBeGreaterThan(best.score * 1.2);
    const got = (await noLeak(() => qa(input, { handleImpossibleAnswer: true }))) as Answer;
    expect({ ...got, score: 0 }).toEqual({ answer: '', score: 0, start: 0, end: 0 });
    expect(got.score).toBeCloseTo(nulls[0] as number, 6);
    // without the option the best span answers, with its own score
    const plain = (await qa(input, { alignToWords: false })) as Answer;
    expect([plain.answer, plain.start, plain.end]).toEqual([
      input.context.slice(best.start, best.end),
      best.start,
      best.end,
    ]);
    expect(plain.score).toBeCloseTo(best.score, 6);
  });

  it('handleImpossibleAnswer: the empty answer ranks among the spans by its score', async () => {
    const w = windows(QUESTION, TEXT, 128);
    const { spans, nulls } = reference(w, TEXT, 15);
    const got = (await noLeak(() =>
      qa({ question: QUESTION, context: TEXT }, { topK: 1000, handleImpossibleAnswer: true, alignToWords: false }),
    )) as Answer[];
    expect(got).toHaveLength(Math.min(1000, spans.length + 1));
    const at = got.findIndex((a) => a.answer === '');
    expect(at).toBe(spans.filter((s) => s.score > (nulls[0] as number)).length);
    expect(at).toBeGreaterThan(0); // here some spans beat it and some do not
    expect(at).toBeLessThan(got.length - 1);
    expect(got[at]).toMatchObject({ start: 0, end: 0 });
    expect(got[at]?.score).toBeCloseTo(nulls[0] as number, 6);
  });

  it('a context longer than the model: every window answers, offsets of later windows slice the context to their tokens; null score the lowest', async () => {
    const question = 'What ran close by her?';
    const ws = windows(question, LONG, 16);
    expect(ws.length).toBeGreaterThanOrEqual(3);
    const { spans, nulls } = reference(ws, LONG, 15);
    const got = (await noLeak(() =>
      qa({ question, context: LONG }, { topK: 1000, docStride: 16, alignToWords: false, handleImpossibleAnswer: true }),
    )) as Answer[];
    const empty = got.filter((a) => a.answer === '');
    expect(empty).toHaveLength(1);
    expect(Math.min(...nulls)).toBeLessThan(Math.max(...nulls)); // the windows disagree: the lowest is taken
    expect(empty[0]?.score).toBeCloseTo(Math.min(...nulls), 6);
    const answers = got.filter((a) => a.answer !== '');
    // best first over all windows: the k-th answer has the k-th reference score …
    answers.forEach((a, k) => {
      expect(a.score).toBeCloseTo((spans[k] as Span).score, 6);
    });
    // … and is a span of some window at its place: its text is that window's tokens
    const pieces = ws.map((w) => tok.convertIdsToTokens(w.inputIds));
    const fromWindow = new Set<number>();
    for (const a of answers) {
      const span = spans.find(
        (s) => s.start === a.start && s.end === a.end && Math.abs(s.score - a.score) < 1e-6 * Math.max(1, a.score),
      ) as Span;
      expect(span).toBeDefined();
      const text = (pieces[span.window] as string[])
        .slice(span.s, span.e + 1)
        .join('')
        .replaceAll('▁', ' ')
        .trim();
      expect(a.answer.toLowerCase()).toBe(text);
      expect(LONG.slice(a.start, a.end)).toBe(a.answer);
      fromWindow.add(span.window);
    }
    expect([...fromWindow].sort()).toEqual(ws.map((_, k) => k));
  });

  it('a span with no text (a lone ▁ token) is no answer: the empty answer stays the impossible one', async () => {
    const question = 'What ran close by her?';
    const ws = windows(question, LONG, 16);
    // with HF's rules a lone ▁ (covering the space before 'very') is among the best three single tokens
    const all = reference(ws, LONG, 1, true).spans.slice(0, 3);
    expect(all.some((s) => s.start === s.end)).toBe(true);
    const got = (await noLeak(() =>
      qa({ question, context: LONG }, { topK: 3, docStride: 16, maxAnswerLen: 1, alignToWords: false }),
    )) as Answer[];
    const want = reference(ws, LONG, 1).spans.slice(0, 3);
    expect(got.map((a) => [a.answer, a.start, a.end])).toEqual(
      want.map((s) => [LONG.slice(s.start, s.end), s.start, s.end]),
    );
    for (const a of got) expect(a.answer.trim()).not.toBe('');
  });
});
