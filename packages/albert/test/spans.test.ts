// token-classification (tiny-ner: HF's tiny-tokcls weights with O/B-PER/I-PER/B-LOC/I-LOC names) and
// question-answering (HF's tiny-qa) on every Node backend, random weights: what is checked is what
// the weights cannot change — labels and scores from the head's own logits, offsets that slice the
// input to the entity/answer text, windows over text longer than the model (64 tokens).
import { AlbertForQuestionAnswering, AlbertForTokenClassification } from '@albert-ts/heads';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  type GroupedEntity,
  PipelineError,
  pipeline,
  type QuestionAnsweringPipeline,
  type TokenClassificationPipeline,
  type TokenEntity,
} from '../src/index.js';
import { nodeBackends, noLeak, softmax, useBackend } from './helpers/backends.js';
import { fixture } from './helpers/fixtures.js';
import { forwardOne } from './helpers/reference.js';

const BACKENDS = await nodeBackends();
const LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
const TEXT = 'Alice followed the White Rabbit down to Wonderland, where the Queen of Hearts ruled.';
const LONG =
  'So she was considering in her own mind, as well as she could, for the hot day made her feel very sleepy and stupid, ' +
  'whether the pleasure of making a daisy-chain would be worth the trouble of getting up and picking the daisies, ' +
  'when suddenly a White Rabbit with pink eyes ran close by her. There was nothing so very remarkable in that.';

describe.each(BACKENDS)('token-classification on %s', (backend) => {
  useBackend(backend);
  let ner: TokenClassificationPipeline;
  let head: AlbertForTokenClassification;
  let tok: AlbertTokenizer;
  beforeAll(async () => {
    ner = await pipeline('token-classification', fixture('tiny-ner'), { batchSize: 3 });
    head = await AlbertForTokenClassification.fromPretrained(fixture('tiny-ner'), { warn: () => {} });
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-ner')}/spiece.model`);
  });
  afterAll(() => {
    ner.dispose();
    head.dispose();
  });

  it("'none': every token's best label and score; start/end slice the input to the word", async () => {
    const out = (await noLeak(() => ner(TEXT, { ignoreLabels: [] }))) as TokenEntity[];
    const enc = tok.encode(TEXT);
    const logits = forwardOne(head, enc, ['logits'])[0] as number[];
    const textTokens = [...enc.sequenceIds].flatMap((s, p) => (s === 0 ? [p] : []));
    expect(out.map((e) => e.index)).toEqual(textTokens);
    for (const e of out) {
      const probs = softmax(logits.slice(e.index * 5, e.index * 5 + 5));
      expect(e.entity).toBe(LABELS[probs.indexOf(Math.max(...probs))]);
      expect(e.score).toBeCloseTo(Math.max(...probs), 5);
      expect(TEXT.slice(e.start, e.end)).toBe(e.word);
      expect(e.word).toBe(e.word.trim());
    }
    const withoutO = (await ner(TEXT)) as TokenEntity[];
    expect(withoutO).toEqual(out.filter((e) => e.entity !== 'O'));
  });

  it.each(['simple', 'first', 'average', 'max'] as const)(
    "'%s': groups of one type whose offsets slice the input",
    async (aggregationStrategy) => {
      const out = (await noLeak(() =>
        ner([TEXT, LONG], { aggregationStrategy, ignoreLabels: [] }),
      )) as GroupedEntity[][];
      for (const [i, text] of [TEXT, LONG].entries()) {
        let last = 0;
        for (const g of out[i] as GroupedEntity[]) {
          expect(['O', 'PER', 'LOC']).toContain(g.entityGroup);
          expect(text.slice(g.start, g.end)).toBe(g.word);
          expect(g.start).toBeGreaterThanOrEqual(last);
          expect(g.score).toBeGreaterThan(0);
          expect(g.score).toBeLessThanOrEqual(1);
          last = g.end;
        }
        // every word of the text is in some group: the groups cover it up to the last character
        expect(last).toBe(text.length);
      }
    },
  );

  it('a text longer than the model runs in windows: every token once, in order', async () => {
    const full = tok.encode(LONG);
    expect(full.inputIds.length).toBeGreaterThan(64);
    const out = (await noLeak(() => ner(LONG, { ignoreLabels: [], stride: 16 }))) as TokenEntity[];
    expect(out.map((e) => e.index)).toEqual([...full.sequenceIds].flatMap((s, p) => (s === 0 ? [p] : [])));
    for (const e of out) expect(LONG.slice(e.start, e.end)).toBe(e.word);
    // a token of the first window keeps the first window's prediction (it has more context there)
    const first = tok.encode(LONG, null, { maxLength: 64 });
    const logits = forwardOne(head, first, ['logits'])[0] as number[];
    const probs = softmax(logits.slice(5 * 5, 6 * 5));
    expect(out[4]?.score).toBeCloseTo(Math.max(...probs), 5);
  });
});

describe.each(BACKENDS)('question-answering on %s', (backend) => {
  useBackend(backend);
  let qa: QuestionAnsweringPipeline;
  let head: AlbertForQuestionAnswering;
  let tok: AlbertTokenizer;
  beforeAll(async () => {
    qa = await pipeline('question-answering', fixture('tiny-qa'));
    head = await AlbertForQuestionAnswering.fromPretrained(fixture('tiny-qa'), { warn: () => {} });
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-qa')}/spiece.model`);
  });
  afterAll(() => {
    qa.dispose();
    head.dispose();
  });

  it('the best span of a short context: HF scoring of the head logits; context.slice(start, end) === answer', async () => {
    const question = 'Who followed the White Rabbit?';
    const got = (await noLeak(() => qa({ question, context: TEXT }, { alignToWords: false }))) as Answer;
    expect(TEXT.slice(got.start, got.end)).toBe(got.answer);
    expect(got.answer.length).toBeGreaterThan(0);
    // reference: every (s, e) of context tokens, e - s < 15, p_start(s)·p_end(e) with HF's masking
    const enc = tok.encode(question, TEXT);
    const [start, end] = forwardOne(head, enc, ['startLogits', 'endLogits']) as [number[], number[]];
    const allowed = [...enc.sequenceIds].map((s, p) => s === 1 || p === 0);
    const ps = softmax(start.map((v, p) => (allowed[p] ? v : -10000)));
    const pe = softmax(end.map((v, p) => (allowed[p] ? v : -10000)));
    let best = { s: 0, e: 0, score: -1 };
    for (let s = 1; s < ps.length; s++)
      for (let e = s; e < Math.min(ps.length, s + 15); e++)
        if (enc.sequenceIds[s] === 1 && enc.sequenceIds[e] === 1 && (ps[s] as number) * (pe[e] as number) > best.score)
          best = { s, e, score: (ps[s] as number) * (pe[e] as number) };
    expect(got.score).toBeCloseTo(best.score, 5);
    expect(TEXT.slice(enc.offsets[2 * best.s], enc.offsets[2 * best.e + 1]).trim()).toBe(got.answer);
  });

  it('topK answers best first; a long context in windows; handleImpossibleAnswer adds the empty answer', async () => {
    const answers = (await noLeak(() =>
      qa(
        { question: 'What ran close by her?', context: LONG },
        { topK: 4, docStride: 16, handleImpossibleAnswer: true },
      ),
    )) as Answer[];
    expect(answers).toHaveLength(4);
    for (let k = 1; k < answers.length; k++)
      expect(answers[k - 1]?.score).toBeGreaterThanOrEqual(answers[k]?.score as number);
    for (const a of answers) {
      expect(LONG.slice(a.start, a.end)).toBe(a.answer);
      expect(a.answer).toBe(a.answer.trim());
    }
    const all = (await qa(
      { question: 'What ran close by her?', context: LONG },
      { topK: 1000, handleImpossibleAnswer: true },
    )) as Answer[];
    expect(all.filter((a) => a.answer === '')).toHaveLength(1);
    // answers come from every window: some start past the first window's end
    const firstWindowEnd = tok
      .encode('What ran close by her?', LONG, { maxLength: 64, truncation: 'only_second' })
      .offsets.reduce((m, x) => Math.max(m, x), 0);
    expect(all.some((a) => a.start >= firstWindowEnd)).toBe(true);
  });

  it('a question without a context is a clear error, and leaves no tensor behind', async () => {
    const err = await noLeak(() => qa({ question: 'Who?' } as never).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as Error).message).toBe(
      'question-answering: the input has a question but no context; pass { question, context }',
    );
    // in a list, after a good input: nothing runs, nothing stays
    const inList = await noLeak(() =>
      qa([{ question: 'Who?', context: TEXT }, { question: 'Who?' }] as never).catch((e: unknown) => e),
    );
    expect(inList).toBeInstanceOf(PipelineError);
    expect((inList as Error).message).toBe(
      'question-answering: input [1] has a question but no context; pass { question, context }',
    );
  });
});
