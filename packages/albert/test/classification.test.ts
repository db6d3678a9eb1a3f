// text-classification and zero-shot-classification on HF's tiny-seqcls checkpoint (random weights;
// tiny-nli is the same with NLI label names), every Node backend. Reference: the head's own logits
// for each input (forwardOne), turned into scores here as HF's pipelines define them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertForSequenceClassification } from '@albert-ts/heads';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PipelineError,
  pipeline,
  type TextClassificationPipeline,
  type ZeroShotClassificationPipeline,
} from '../src/index.js';
import { nodeBackends, noLeak, softmax, useBackend } from './helpers/backends.js';
import { type FixtureName, fixture, tempFolder } from './helpers/fixtures.js';
import { forwardOne } from './helpers/reference.js';

const BACKENDS = await nodeBackends();
const TEXTS = ['Alice was beginning to get very tired.', 'Down, down, down.', 'Curiouser and curiouser! cried Alice.'];
const LABELS = ['LABEL_0', 'LABEL_1', 'LABEL_2'];
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A throwaway copy of fixture `from` (tokenizer included) with `changes` in its config.json; `files` replace its own. */
function variant(
  from: FixtureName,
  changes: Record<string, unknown>,
  files: Map<string, Uint8Array> = new Map(),
): string {
  const read = (name: string) => files.get(name) ?? readFileSync(join(fixture(from), name));
  const config = { ...JSON.parse(Buffer.from(read('config.json')).toString('utf8')), ...changes };
  return tempFolder(from, {
    'config.json': JSON.stringify(config),
    'model.safetensors': read('model.safetensors'),
    'spiece.model': read('spiece.model'),
    'tokenizer_config.json': read('tokenizer_config.json'),
  });
}

/** id2label and label2id for `names` in index order. */
function labelMaps(names: string[]): Record<string, unknown> {
  return {
    id2label: Object.fromEntries(names.map((n, i) => [String(i), n])),
    label2id: Object.fromEntries(names.map((n, i) => [n, i])),
  };
}

describe.each(BACKENDS)('text-classification on %s', (backend) => {
  useBackend(backend);
  let classify: TextClassificationPipeline;
  let head: AlbertForSequenceClassification;
  let tok: AlbertTokenizer;
  const logitsOf = (a: string, b?: string) =>
    forwardOne(head, b === undefined ? tok.encode(a) : tok.encode(a, b), ['logits'])[0] as number[];

  beforeAll(async () => {
    classify = await pipeline('text-classification', fixture('tiny-seqcls'), { batchSize: 2 });
    head = await AlbertForSequenceClassification.fromPretrained(fixture('tiny-seqcls'), { warn: () => {} });
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-seqcls')}/spiece.model`);
  });
  afterAll(() => {
    classify.dispose();
    head.dispose();
  });

  it('the best label with its softmax score (3 labels: softmax, as HF)', async () => {
    const out = await noLeak(() => classify(TEXTS));
    TEXTS.forEach((text, i) => {
      const probs = softmax(logitsOf(text));
      const best = probs.indexOf(Math.max(...probs));
      expect(out[i]).toHaveLength(1);
      expect(out[i]?.[0]?.label).toBe(LABELS[best]);
      expect(out[i]?.[0]?.score).toBeCloseTo(probs[best] as number, 5);
    });
  });

  it('topK null: every label, best first, scores summing to 1; sigmoid and none', async () => {
    const all = await classify(TEXTS[0] as string, { topK: null });
    expect(all.map((l) => l.label).sort()).toEqual(LABELS);
    expect(all.reduce((s, l) => s + l.score, 0)).toBeCloseTo(1, 5);
    for (let k = 1; k < all.length; k++) expect(all[k - 1]?.score).toBeGreaterThanOrEqual(all[k]?.score as number);
    const logits = logitsOf(TEXTS[0] as string);
    const raw = await classify(TEXTS[0] as string, { topK: null, functionToApply: 'none' });
    for (const { label, score } of raw) expect(score).toBeCloseTo(logits[LABELS.indexOf(label)] as number, 5);
    const multi = await classify(TEXTS[0] as string, { topK: null, functionToApply: 'sigmoid' });
    for (const { label, score } of multi)
      expect(score).toBeCloseTo(1 / (1 + Math.exp(-(logits[LABELS.indexOf(label)] as number))), 5);
  });

  it('topK 2: exactly the two best labels, best first, with their softmax scores', async () => {
    const out = await noLeak(() => classify(TEXTS, { topK: 2 }));
    TEXTS.forEach((text, i) => {
      const probs = softmax(logitsOf(text));
      const best = [0, 1, 2].sort((a, b) => (probs[b] as number) - (probs[a] as number)).slice(0, 2);
      expect(out[i]?.map((l) => l.label)).toEqual(best.map((k) => LABELS[k]));
      for (const [k, l] of (out[i] ?? []).entries()) expect(l.score).toBeCloseTo(probs[best[k] as number] as number, 5);
    });
  });

  it('a text pair ({ text, textPair }) is encoded as [CLS] A [SEP] B [SEP]', async () => {
    const [out] = await noLeak(() => classify([{ text: 'Who is there?', textPair: 'The White Rabbit.' }]));
    const probs = softmax(logitsOf('Who is there?', 'The White Rabbit.'));
    expect(out?.[0]?.score).toBeCloseTo(Math.max(...probs), 5);
  });
});

describe.each(BACKENDS)('text-classification: the default score function from config.json on %s', (backend) => {
  useBackend(backend);
  let tok: AlbertTokenizer;
  let oneOutput: Map<string, Uint8Array>; // config.json and weights with one output (num_labels 1): a fresh seeded head
  /** The logits of the model in `folder` for `text`, from a plain forward pass. */
  async function logitsIn(folder: string, text: string): Promise<number[]> {
    const head = await AlbertForSequenceClassification.fromPretrained(folder, { warn: () => {} });
    const logits = forwardOne(head, tok.encode(text), ['logits'])[0] as number[];
    head.dispose();
    return logits;
  }

  beforeAll(async () => {
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-seqcls')}/spiece.model`);
    const one = await AlbertForSequenceClassification.fromPretrained(fixture('tiny-seqcls'), {
      numLabels: 1,
      ignoreMismatchedSizes: true,
      seed: 7,
      warn: () => {},
    });
    oneOutput = await one.toFiles();
    one.dispose();
  });

  it('problem_type multi_label_classification: sigmoid of each logit (the scores need not sum to 1)', async () => {
    const folder = variant('tiny-seqcls', { problem_type: 'multi_label_classification' });
    const classify = await pipeline('text-classification', folder, { topK: null });
    const out = await noLeak(() => classify(TEXTS));
    for (const [i, text] of TEXTS.entries()) {
      const logits = await logitsIn(folder, text);
      expect(out[i]).toHaveLength(3);
      for (const { label, score } of out[i] ?? []) {
        expect(score).toBeCloseTo(sigmoid(logits[LABELS.indexOf(label)] as number), 5);
      }
      const best = logits.indexOf(Math.max(...logits));
      expect(out[i]?.[0]?.label).toBe(LABELS[best]);
    }
    // the call's functionToApply still wins over the default
    const soft = await classify(TEXTS[0] as string, { functionToApply: 'softmax' });
    expect(soft.reduce((s, l) => s + l.score, 0)).toBeCloseTo(1, 5);
    classify.dispose();
  });

  it('one output (num_labels 1): sigmoid; with problem_type regression: the raw logit', async () => {
    const folder = variant('tiny-seqcls', {}, oneOutput);
    const single = await pipeline('text-classification', folder);
    const regression = await pipeline(
      'text-classification',
      variant('tiny-seqcls', { problem_type: 'regression' }, oneOutput),
    );
    for (const text of TEXTS) {
      const [logit] = (await logitsIn(folder, text)) as [number];
      const [s] = await noLeak(() => single(text));
      expect(s?.label).toBe('LABEL_0');
      expect(s?.score).toBeCloseTo(sigmoid(logit), 5);
      const [r] = await noLeak(() => regression(text));
      expect(r?.score).toBeCloseTo(logit, 5);
    }
    single.dispose();
    regression.dispose();
  });
});

describe.each(BACKENDS)('zero-shot-classification on %s', (backend) => {
  useBackend(backend);
  let zeroShot: ZeroShotClassificationPipeline;
  let head: AlbertForSequenceClassification;
  let tok: AlbertTokenizer;
  const CANDIDATES = ['a rabbit', 'the queen', 'a garden'];
  const hypothesis = (l: string) => `This example is ${l}.`;
  // tiny-nli: label2id contradiction 0, neutral 1, entailment 2
  const entail = (text: string, l: string) =>
    forwardOne(head, tok.encode(text, hypothesis(l)), ['logits'])[0] as number[];

  beforeAll(async () => {
    zeroShot = await pipeline('zero-shot-classification', fixture('tiny-nli'));
    head = await AlbertForSequenceClassification.fromPretrained(fixture('tiny-nli'), { warn: () => {} });
    tok = await AlbertTokenizer.fromFile(`${fixture('tiny-nli')}/spiece.model`);
  });
  afterAll(() => {
    zeroShot.dispose();
    head.dispose();
  });

  it('single-label: softmax of the entailment logits over the labels (sums to 1), best first', async () => {
    const out = await noLeak(() => zeroShot(TEXTS, { candidateLabels: CANDIDATES }));
    TEXTS.forEach((text, i) => {
      const probs = softmax(CANDIDATES.map((l) => entail(text, l)[2] as number));
      expect(out[i]?.sequence).toBe(text);
      expect([...(out[i]?.labels ?? [])].sort()).toEqual([...CANDIDATES].sort());
      expect(out[i]?.scores.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
      for (const [k, l] of (out[i]?.labels ?? []).entries()) {
        expect(out[i]?.scores[k]).toBeCloseTo(probs[CANDIDATES.indexOf(l)] as number, 5);
      }
    });
  });

  it('multi-label: each label alone, softmax over [contradiction, entailment]; a custom template', async () => {
    const out = await zeroShot(TEXTS[0] as string, { candidateLabels: 'a rabbit, the queen', multiLabel: true });
    for (const [k, l] of out.labels.entries()) {
      const [c, , e] = entail(TEXTS[0] as string, l) as [number, number, number];
      expect(out.scores[k]).toBeCloseTo(softmax([c, e])[1] as number, 5);
    }
    const custom = await zeroShot(TEXTS[0] as string, {
      candidateLabels: ['rabbits'],
      hypothesisTemplate: 'It is about {}.',
    });
    const [c, , e] = forwardOne(head, tok.encode(TEXTS[0] as string, 'It is about rabbits.'), [
      'logits',
    ])[0] as number[];
    expect(custom.scores[0]).toBeCloseTo(softmax([c as number, e as number])[1] as number, 5);
  });

  it('entailment and contradiction found in label2id by name (any case), in another order', async () => {
    // same weights as tiny-nli, columns renamed: neutral 0, entailment 1, contradiction 2 (HF's rule
    // without a contradiction name would take column 0)
    const renamed = await pipeline(
      'zero-shot-classification',
      variant('tiny-nli', labelMaps(['NEUTRAL', 'ENTAILMENT', 'CONTRADICTION'])),
    );
    const text = TEXTS[1] as string;
    const single = await noLeak(() => renamed(text, { candidateLabels: CANDIDATES }));
    const probs = softmax(CANDIDATES.map((l) => entail(text, l)[1] as number));
    for (const [k, l] of single.labels.entries()) {
      expect(single.scores[k]).toBeCloseTo(probs[CANDIDATES.indexOf(l)] as number, 5);
    }
    const multi = await noLeak(() => renamed(text, { candidateLabels: CANDIDATES, multiLabel: true }));
    for (const [k, l] of multi.labels.entries()) {
      const [, e, c] = entail(text, l) as [number, number, number];
      expect(multi.scores[k]).toBeCloseTo(softmax([c, e])[1] as number, 5);
    }
    renamed.dispose();
  });

  it("no label named contradiction: HF's rule, column 0, or the last column when entailment is 0", async () => {
    const text = TEXTS[2] as string;
    const cases: [names: string[], entailment: number, contradiction: number][] = [
      [['other', 'Entailment', 'neutral'], 1, 0],
      [['entailment', 'neutral', 'not_entailment'], 0, 2],
    ];
    for (const [names, e, c] of cases) {
      const zs = await pipeline('zero-shot-classification', variant('tiny-nli', labelMaps(names)));
      const out = await noLeak(() => zs(text, { candidateLabels: CANDIDATES, multiLabel: true }));
      for (const [k, l] of out.labels.entries()) {
        const row = entail(text, l);
        expect(out.scores[k]).toBeCloseTo(softmax([row[c] as number, row[e] as number])[1] as number, 5);
      }
      zs.dispose();
    }
  });

  it('a model without an entailment label is not an NLI model', async () => {
    const err = await pipeline('zero-shot-classification', fixture('tiny-seqcls')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as Error).message).toMatch(
      /is not an NLI model: its config\.json label2id \(LABEL_0, LABEL_1, LABEL_2\) has no "entailment" label/,
    );
  });
});

describe.runIf(BACKENDS.includes('native'))("text-classification with dtype 'q8' (native)", () => {
  useBackend('native');

  it('loads the model in q8: the logits are the q8 head’s, not the fp32 ones', async () => {
    const q8 = await pipeline('text-classification', fixture('tiny-seqcls'), { dtype: 'q8' });
    const head = await AlbertForSequenceClassification.fromPretrained(fixture('tiny-seqcls'), { dtype: 'q8' });
    const fp32 = await AlbertForSequenceClassification.fromPretrained(fixture('tiny-seqcls'), { warn: () => {} });
    expect(head.albert.dtype).toBe('q8');
    const tok = await AlbertTokenizer.fromFile(`${fixture('tiny-seqcls')}/spiece.model`);
    const text = TEXTS[2] as string;
    const want = forwardOne(head, tok.encode(text), ['logits'])[0] as number[];
    const full = forwardOne(fp32, tok.encode(text), ['logits'])[0] as number[];
    const got = await q8(text, { topK: null, functionToApply: 'none' });
    for (const { label, score } of got) expect(score).toBeCloseTo(want[LABELS.indexOf(label)] as number, 5);
    expect(Math.max(...want.map((v, i) => Math.abs(v - (full[i] as number))))).toBeGreaterThan(1e-4);
    q8.dispose();
    head.dispose();
    fp32.dispose();
  });
});
