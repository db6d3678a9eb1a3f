// Metrics against the reference libraries and the official definitions:
//  - classification and correlation: values computed by scikit-learn 1.2.1 and SciPy 1.10.1
//    (Debian bookworm) in fixtures/metric-reference.json, degenerate inputs included; the generator
//    is re-run here when python3 with sklearn/scipy is installed (CI installs them);
//  - SQuAD: hand-worked cases from the official scripts' rules (METRIC.md beside the SQuAD v1.1 data set the project was given),
//    and the normalisation of tricky Unicode strings as CPython computes it (same fixture);
//  - seqeval: the examples of seqeval's README/docstrings and its tests/test_scheme.py IOB2 table
//    (github.com/chakki-works/seqeval), and hand-worked cases from its chunking rules.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { itWith, PYTHON, pythonModules } from '../../../test-utils/requirements.js';
import {
  accuracy,
  extractEntities,
  f1Score,
  glueMetrics,
  matthewsCorrcoef,
  normalizeAnswer,
  pearson,
  precisionRecallF1,
  rankData,
  seqevalMetrics,
  spearman,
  squadExactMatch,
  squadF1,
  squadV1Metrics,
  squadV2Metrics,
  TaskInputError,
} from '../src/index.js';
import { fixture, readText, thrown } from './load.js';

type Num = number | 'NaN' | 'Infinity' | '-Infinity';
type Expected<T> = T | { error: string };
const num = (x: Num): number => (typeof x === 'number' ? x : Number(x));
const reference = JSON.parse(readText('metric-reference.json')) as {
  classification: ({ name: string; yTrue: number[]; yPred: number[] } & Record<string, unknown>)[];
  correlation: {
    name: string;
    x: Num[];
    y: Num[];
    pearson: Expected<Num>;
    spearman: Expected<Num>;
    rankx: Expected<Num[]>;
  }[];
  squad_normalize: { text: string; normalized: string }[];
};

/** ours equals the reference value (same NaN, 1e-12 relative), or both fail. */
function expectSame(ours: () => number, expected: Expected<Num>, what: string): void {
  if (typeof expected === 'object') {
    expect(() => ours(), `${what}: sklearn/scipy raise ${expected.error}`).toThrow(TaskInputError);
    return;
  }
  const e = num(expected);
  const o = ours();
  if (Number.isNaN(e)) expect(o, what).toBeNaN();
  else expect(Math.abs(o - e), `${what}: ${o} vs ${e}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)));
}

describe('classification metrics = scikit-learn', () => {
  for (const c of reference.classification) {
    it(c.name, () => {
      expectSame(() => accuracy(c.yTrue, c.yPred), c.accuracy as Expected<Num>, 'accuracy');
      for (const average of ['binary', 'micro', 'macro', 'weighted'] as const) {
        const prf = c[average] as Expected<{ precision: Num; recall: Num; f1: Num }>;
        const ours = () => precisionRecallF1(c.yTrue, c.yPred, { average });
        if ('error' in prf) expect(ours, average).toThrow(TaskInputError);
        else {
          expectSame(() => ours().precision, prf.precision, `${average} precision`);
          expectSame(() => ours().recall, prf.recall, `${average} recall`);
          expectSame(() => ours().f1, prf.f1, `${average} f1`);
        }
        expectSame(
          () => f1Score(c.yTrue, c.yPred, { average }),
          c[`f1_${average}`] as Expected<Num>,
          `f1_score ${average}`,
        );
      }
      expectSame(() => matthewsCorrcoef(c.yTrue, c.yPred), c.mcc as Expected<Num>, 'mcc');
    });
  }

  it('covers the degenerate cases (their sklearn values are in the fixture)', () => {
    const names = reference.classification.map((c) => c.name);
    for (const n of [
      'empty',
      'one element right',
      'constant truth and prediction (0)',
      'labels 2 and 3 (pos_label 1 absent)',
    ]) {
      expect(names).toContain(n);
    }
    expect(accuracy([], [])).toBeNaN();
    expect(f1Score([], [])).toBe(0);
    expect(f1Score([], [], { average: 'macro' })).toBeNaN();
    expect(matthewsCorrcoef([1, 1, 1], [1, 1, 1])).toBe(0);
    expect(thrown(() => accuracy([0, 1], [0])).message).toBe('accuracy: 2 true labels but 1 predictions');
    expect(thrown(() => accuracy([0.5], [0.5]))).toBeInstanceOf(TaskInputError);
  });
});

describe('correlation = SciPy (ties ranked by their mean position)', () => {
  for (const c of reference.correlation) {
    it(c.name, () => {
      const x = c.x.map(num);
      const y = c.y.map(num);
      expectSame(() => pearson(x, y), c.pearson, 'pearson');
      expectSame(() => spearman(x, y), c.spearman, 'spearman');
      const r = c.rankx;
      if (!('error' in r)) expect([...rankData(x)].map(String)).toEqual(r.map((v) => String(num(v))));
    });
  }

  it('ranks ties as scipy.stats.rankdata(method="average")', () => {
    expect([...rankData([10, 20, 20, 5, 20])]).toEqual([2, 4, 4, 1, 4]);
  });
});

itWith(
  pythonModules(['sklearn', 'scipy', 'numpy'], 'apt-get install python3-sklearn python3-scipy python3-numpy'),
  're-running gen-metric-reference.py gives the committed fixture',
  () => {
    const r = spawnSync(PYTHON, [fixture('gen-metric-reference.py')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.stderr).toBe('');
    // Same structure and strings; floats equal to the last few ulps (a different numpy/scipy build
    // may sum in another order: 0.9006096556770531 vs …532 has been seen).
    expectSameUpToUlps(JSON.parse(r.stdout), reference, '$');
  },
  60_000,
);

function expectSameUpToUlps(got: unknown, want: unknown, path: string): void {
  if (typeof want === 'number' && typeof got === 'number') {
    const tol = 1e-14 * Math.max(1, Math.abs(want));
    if (!(Math.abs(got - want) <= tol)) expect.fail(`${path}: ${got} vs reference ${want}`);
  } else if (Array.isArray(want)) {
    expect(Array.isArray(got), path).toBe(true);
    expect((got as unknown[]).length, path).toBe(want.length);
    want.forEach((w, i) => {
      expectSameUpToUlps((got as unknown[])[i], w, `${path}[${i}]`);
    });
  } else if (want !== null && typeof want === 'object') {
    expect(Object.keys(got as object).sort(), path).toEqual(Object.keys(want).sort());
    for (const [k, w] of Object.entries(want))
      expectSameUpToUlps((got as Record<string, unknown>)[k], w, `${path}.${k}`);
  } else {
    expect(got, path).toEqual(want);
  }
}

describe('SQuAD (official evaluate-v1.1.py / v2.0.py rules)', () => {
  it('normalises exactly as CPython does with the four rules (Unicode lower, \\b, str.split)', () => {
    for (const { text, normalized } of reference.squad_normalize)
      expect(normalizeAnswer(text), JSON.stringify(text)).toBe(normalized);
  });

  it('EM and F1 of one answer', () => {
    expect(squadExactMatch('the Denver Broncos', 'Denver Broncos')).toBe(1); // article and case
    expect(squadExactMatch('Denver Broncos.', 'denver broncos')).toBe(1); // punctuation
    expect(squadExactMatch('the-end', 'end')).toBe(0); // punctuation goes before articles: "theend"
    expect(squadF1('Denver', 'Denver Broncos')).toBeCloseTo(2 / 3, 15); // P 1, R 1/2
    // bags: pred x y y, gold y y z → 2 common; P = R = 2/3
    expect(squadF1('x y y', 'y y z')).toBeCloseTo(2 / 3, 15);
    expect(squadF1('y y y', 'y z')).toBeCloseTo((2 * (1 / 3) * (1 / 2)) / (1 / 3 + 1 / 2), 15); // common 1
    expect(squadF1('the', 'Broncos')).toBe(0); // empty prediction: no common token
    expect(squadF1('', '')).toBe(0); // v1.1: |common| = 0 → 0
    expect(squadF1('', '', { v2: true })).toBe(1); // v2.0: both empty → 1
    expect(squadF1('a', 'x', { v2: true })).toBe(0);
  });

  it('v1.1: max over gold answers, EM and F1 separately; a missing prediction scores 0 but counts', () => {
    const refs = [
      { id: 'q1', answers: ['Denver Broncos', 'the Broncos', 'Broncos team'] },
      { id: 'q2', answers: [{ text: 'Broncos' }, { text: 'Denver Broncos team' }] },
      { id: 'q3', answers: ['Santa Clara'] },
    ];
    // q1 "Broncos": EM 1 ("the Broncos"), F1 1. q2 "Denver Broncos": EM 0; F1 max(2/3, 0.8) = 0.8. q3 missing: 0, 0
    const r = squadV1Metrics(refs, { q1: 'Broncos', q2: 'Denver Broncos', extra: 'ignored' });
    expect(r.exact_match).toBeCloseTo((100 * 1) / 3, 12);
    expect(r.f1).toBeCloseTo((100 * (1 + 0.8)) / 3, 12);
    expect([r.total, r.missing]).toEqual([3, ['q3']]);
    expect(squadV1Metrics(refs, new Map([['q3', 'santa clara!']])).exact_match).toBeCloseTo(100 / 3, 12);
  });

  // q1, q2 answerable; q3, q4 not. Predictions: q1 exact (EM 1, F1 1), q2 "Panthers" for "Carolina
  // Panthers" (EM 0, F1 2/3), q3 '' (right: 1, 1), q4 "Santa Clara" (wrong: 0, 0).
  const refs = [
    { id: 'q1', answers: ['Denver Broncos'] },
    { id: 'q2', answers: ['Carolina Panthers'] },
    { id: 'q3', answers: [] },
    { id: 'q4', answers: [] },
  ];
  const preds = { q1: 'Denver Broncos', q2: 'Panthers', q3: '', q4: 'Santa Clara' };

  it('v2.0: overall, HasAns and NoAns scores', () => {
    const r = squadV2Metrics(refs, preds);
    expect(r.exact).toBeCloseTo(50, 12);
    expect(r.f1).toBeCloseTo((100 * (1 + 2 / 3 + 1)) / 4, 12);
    expect([r.total, r.HasAns_total, r.NoAns_total]).toEqual([4, 2, 2]);
    expect(r.HasAns_exact).toBeCloseTo(50, 12);
    expect(r.HasAns_f1).toBeCloseTo((100 * (1 + 2 / 3)) / 2, 12);
    expect([r.NoAns_exact, r.NoAns_f1]).toEqual([50, 50]);
    expect(r.best_exact).toBeUndefined();
    // a gold answer that normalises to '' is dropped; none left → the gold is ''
    expect(squadV2Metrics([{ id: 'a', answers: ['the'] }], { a: '' }).exact).toBe(100);
    expect(thrown(() => squadV2Metrics(refs, { q1: 'x' })).message).toMatch(/^no prediction for question q2; /);
  });

  it('v2.0: no-answer probabilities over the threshold count as "", and the best thresholds', () => {
    const naProbs = { q1: 0.1, q2: 0.6, q3: 0.9, q4: 0.8 };
    const r = squadV2Metrics(refs, preds, { naProbs, naProbThresh: 0.7 });
    // q3 (0.9) and q4 (0.8) become '': both right → exact (1+0+1+1)/4, f1 (1+2/3+1+1)/4
    expect(r.exact).toBeCloseTo(75, 12);
    expect(r.f1).toBeCloseTo((100 * (1 + 2 / 3 + 1 + 1)) / 4, 12);
    // best threshold walk (raw scores), start = 2 no-answer questions, by probability q1 q2 q4 q3:
    // exact: q1 +1 → 3 (best, 0.1), q2 +0, q4 −1 (predicted text), q3 +0 → 75 at 0.1
    // f1:    q1 +1 → 3 (0.1), q2 +2/3 → 3.667 (best, 0.6), q4 −1, q3 0 → 91.67 at 0.6
    expect([r.best_exact, r.best_exact_thresh]).toEqual([75, 0.1]);
    expect(r.best_f1).toBeCloseTo((100 * (3 + 2 / 3)) / 4, 12);
    expect(r.best_f1_thresh).toBe(0.6);
    // equal probabilities keep the given order: q4 before q2 at 0.6 → f1 peaks at q1 (75, 0.1)
    const tie = (order: [string, number][]) => squadV2Metrics(refs, preds, { naProbs: new Map(order) });
    expect(
      tie([
        ['q1', 0.1],
        ['q4', 0.6],
        ['q2', 0.6],
        ['q3', 0.9],
      ]).best_f1_thresh,
    ).toBe(0.1);
    expect(
      tie([
        ['q1', 0.1],
        ['q2', 0.6],
        ['q4', 0.6],
        ['q3', 0.9],
      ]).best_f1_thresh,
    ).toBe(0.6);
  });
});

describe('seqeval (entity-level, IOB2)', () => {
  // seqeval README / classification_report docstring
  const yTrue = [
    ['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'],
    ['B-PER', 'I-PER', 'O'],
  ];
  const yPred = [
    ['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'],
    ['B-PER', 'I-PER', 'O'],
  ];

  it('reproduces seqeval’s documented example: f1 0.50, MISC 0.00, PER 1.00, accuracy 0.80', () => {
    for (const mode of ['default', 'strict'] as const) {
      const r = seqevalMetrics(yTrue, yPred, { mode });
      expect(r.micro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
      expect(r.perType).toEqual({
        MISC: { precision: 0, recall: 0, f1: 0, support: 1 },
        PER: { precision: 1, recall: 1, f1: 1, support: 1 },
      });
      expect(r.macro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
      expect(r.weighted).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
      expect(r.accuracy).toBeCloseTo(0.8, 15);
    }
  });

  it('default vs strict on seqeval’s README example: I-NP I-NP is an entity only in the default mode', () => {
    const t = [['B-NP', 'I-NP', 'O']];
    const p = [['I-NP', 'I-NP', 'O']];
    expect(seqevalMetrics(t, p).perType.NP).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(seqevalMetrics(t, p, { mode: 'strict' }).perType.NP).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('default mode chunks as get_entities (its docstring example and the conlleval rules)', () => {
    const ents = (tags: string[]) => extractEntities([tags]).map((e) => [e.type, e.start, e.end]);
    expect(ents(['B-PER', 'I-PER', 'O', 'B-LOC'])).toEqual([
      ['PER', 0, 1],
      ['LOC', 3, 3],
    ]);
    expect(ents(['I-PER'])).toEqual([['PER', 0, 0]]); // a lone I starts a chunk
    expect(ents(['B-PER', 'I-LOC'])).toEqual([
      ['PER', 0, 0],
      ['LOC', 1, 1],
    ]); // a type change ends one and starts another
    expect(ents(['B-PER', 'B-PER'])).toEqual([
      ['PER', 0, 0],
      ['PER', 1, 1],
    ]);
    expect(ents(['B-creative-work', 'I-creative-work'])).toEqual([['creative-work', 0, 1]]);
    expect(ents(['S-PER', 'B-LOC', 'E-LOC'])).toEqual([
      ['PER', 0, 0],
      ['LOC', 1, 2],
    ]); // IOBES tags are read too, as get_entities does
    // sentences never share an entity (seqeval puts an O between them)
    expect(extractEntities([['B-PER'], ['I-PER']]).map((e) => [e.sentence, e.start, e.end])).toEqual([
      [0, 0, 0],
      [1, 0, 0],
    ]);
  });

  it('strict IOB2 entities: seqeval tests/test_scheme.py test_iob2_tokens table (end exclusive there)', () => {
    const table: [string[], [string, number, number][]][] = [
      [[], []],
      [['B-PER'], [['PER', 0, 1]]],
      [['I-PER'], []],
      [['O'], []],
      [['O', 'I-PER'], []],
      [['O', 'B-PER'], [['PER', 1, 2]]],
      [['I-PER', 'O'], []],
      [['I-PER', 'I-PER'], []],
      [['I-PER', 'I-ORG'], []],
      [['I-PER', 'B-PER'], [['PER', 1, 2]]],
      [['I-PER', 'B-ORG'], [['ORG', 1, 2]]],
      [['B-PER', 'O'], [['PER', 0, 1]]],
      [['B-PER', 'I-PER'], [['PER', 0, 2]]],
      [['B-PER', 'I-ORG'], [['PER', 0, 1]]],
      [
        ['B-PER', 'B-PER'],
        [
          ['PER', 0, 1],
          ['PER', 1, 2],
        ],
      ],
      [
        ['B-PER', 'B-ORG'],
        [
          ['PER', 0, 1],
          ['ORG', 1, 2],
        ],
      ],
      // test_iob2_tokens_without_tag
      [['B'], [['_', 0, 1]]],
      [['B', 'I'], [['_', 0, 2]]],
      [['I', 'B'], [['_', 1, 2]]],
    ];
    for (const [tags, expected] of table) {
      const got = extractEntities([tags], 'strict').map((e) => [e.type, e.start, e.end + 1]);
      expect(got, JSON.stringify(tags)).toEqual(expected);
    }
  });

  it('hand-worked: per-type counts, micro/macro/weighted, types only predicted', () => {
    // truth: PER(0-1) LOC(3) | ORG(0-2); pred: PER(0-1) ORG(3) | ORG(0-2) LOC(4)
    const t = [
      ['B-PER', 'I-PER', 'O', 'B-LOC'],
      ['B-ORG', 'I-ORG', 'I-ORG', 'O', 'O'],
    ];
    const p = [
      ['B-PER', 'I-PER', 'O', 'B-ORG'],
      ['B-ORG', 'I-ORG', 'I-ORG', 'O', 'B-LOC'],
    ];
    const r = seqevalMetrics(t, p);
    // LOC: tp 0, pred 1, true 1; ORG: tp 1, pred 2, true 1 → P .5 R 1 F 2/3; PER: 1 1 1
    expect(r.perType.LOC).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(r.perType.ORG?.f1).toBeCloseTo(2 / 3, 15);
    expect(r.micro.precision).toBeCloseTo(2 / 4, 15);
    expect(r.micro.recall).toBeCloseTo(2 / 3, 15);
    expect(r.micro.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 15);
    expect(r.macro.f1).toBeCloseTo((0 + 2 / 3 + 1) / 3, 15);
    expect(r.weighted.recall).toBeCloseTo((0 * 1 + 1 * 1 + 1 * 1) / 3, 15);
    // a type only in the prediction still counts in macro (support 0)
    const only = seqevalMetrics([['O', 'O']], [['B-MISC', 'O']]);
    expect(only.perType.MISC).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(only.micro).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(only.weighted).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('degenerate inputs: no entities → 0 (macro NaN, mean of nothing); bad tags and lengths throw', () => {
    const r = seqevalMetrics([['O']], [['O']]);
    expect(r.micro).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macro.f1).toBeNaN();
    expect(r.accuracy).toBe(1);
    expect(seqevalMetrics([], []).accuracy).toBeNaN();
    expect(thrown(() => seqevalMetrics([['E-PER']], [['O']], { mode: 'strict' })).message).toBe(
      'sentence 0, token 0: "E-PER" is not an IOB2 tag (allowed prefixes: I, O, B)',
    );
    expect(thrown(() => seqevalMetrics([['X-PER']], [['O']]))).toBeInstanceOf(TaskInputError);
    expect(thrown(() => seqevalMetrics([['O', 'O']], [['O']]))).toBeInstanceOf(TaskInputError);
  });
});

describe('GLUE metric per task (HF evaluate "glue" names)', () => {
  it('picks MCC for CoLA, Pearson/Spearman for STS-B, accuracy+F1 for MRPC/QQP, accuracy otherwise', () => {
    expect(glueMetrics('cola', [1, 0, 1, 1], [1, 1, 1, 0])).toEqual({
      matthews_correlation: matthewsCorrcoef([1, 1, 1, 0], [1, 0, 1, 1]),
    });
    expect(Object.keys(glueMetrics('stsb', [1, 2, 3.5], [1.5, 2, 3]))).toEqual(['pearson', 'spearmanr']);
    expect(glueMetrics('mrpc', [1, 0, 1, 1], [1, 1, 1, 0])).toEqual({ accuracy: 0.5, f1: 2 / 3 });
    expect(glueMetrics('mnli', [0, 1, 2], [0, 2, 2])).toEqual({ accuracy: 2 / 3 });
  });
});
