// The readers on slices of the real files (the project's data sets, sliced into fixtures/) and on broken
// input: the right columns (HF's GLUE processors read the same ones), the sentence splits of WNUT's
// two separator styles, SQuAD's structure, RACE-like JSONL, and errors that name file:line:column.
import { AlbertError } from '@albert-ts/core';
import { describe, expect, it } from 'vitest';
import {
  GLUE_LAYOUTS,
  readConll,
  readConllFile,
  readGlueFile,
  readGlueTsv,
  readMultipleChoiceJsonl,
  readSquadFile,
  readSquadJson,
  TaskDataError,
} from '../src/index.js';
import { fixture, readText, thrown } from './load.js';

const rows = (name: string) =>
  readText(name)
    .replace(/^\uFEFF/, '')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));

describe('GLUE TSV', () => {
  it('SST-2 dev: sentence, label (header line skipped; the trailing space kept as in GLUE)', () => {
    const { examples, labelNames } = readGlueTsv(readText('glue/sst2-dev.tsv'), 'sst2');
    expect(examples).toHaveLength(20);
    expect(examples[0]).toEqual({
      id: '2',
      textA: "it 's a charming and often affecting journey . ",
      textB: null,
      label: 1,
      line: 2,
    });
    expect(examples[1]?.label).toBe(0);
    expect(labelNames).toEqual(['negative', 'positive']);
  });

  it('MRPC dev: BOM removed; text_a = column 3, text_b = column 4, label = column 0 (HF MrpcProcessor)', async () => {
    const data = await readGlueFile(fixture('glue/mrpc-dev.tsv'), 'mrpc');
    const raw = rows('glue/mrpc-dev.tsv').slice(1);
    expect(data.examples).toHaveLength(12);
    data.examples.forEach((e, i) => {
      const r = raw[i] as string[];
      expect([e.textA, e.textB, e.label]).toEqual([r[3], r[4], Number(r[0])]);
    });
    // a '"' is an ordinary character (GLUE files are read without quoting)
    expect(data.examples[0]?.textB?.startsWith('"The foodservice')).toBe(true);
  });

  it('RTE dev: string labels to ids in HF datasets order (entailment 0, not_entailment 1)', () => {
    const { examples } = readGlueTsv(readText('glue/rte-dev.tsv'), 'rte');
    const raw = rows('glue/rte-dev.tsv').slice(1);
    expect(examples.map((e) => e.label)).toEqual(raw.map((r) => (r[3] === 'entailment' ? 0 : 1)));
    expect(examples[0]?.textB).toBe('Christopher Reeve had an accident.');
    expect(examples[0]?.id).toBe('0');
  });

  it('reads the layouts of the tasks not on disk (hand-written rows in GLUE’s columns)', () => {
    const cola = readGlueTsv(readText('glue/cola-dev.tsv'), 'cola');
    expect(cola.examples.map((e) => [e.textA, e.label])).toEqual([
      ['The cat sat on the mat.', 1],
      ['The cat on sat the mat.', 0],
      ['She said that "quotes" are fine.', 1],
    ]);
    const colaTest = readGlueTsv(readText('glue/cola-test.tsv'), 'cola');
    expect(colaTest.examples.map((e) => [e.id, e.textA, e.label])).toEqual([
      ['0', 'A test sentence without a label.', null],
      ['1', 'Another one.', null],
    ]);
    const stsb = readGlueTsv(readText('glue/stsb-dev.tsv'), 'stsb');
    expect(stsb.examples.map((e) => e.label)).toEqual([4.8, 0, 2.5]);
    expect(stsb.labelNames).toBeNull();
    const qqp = readGlueTsv(readText('glue/qqp-dev.tsv'), 'qqp');
    expect(qqp.examples.map((e) => [e.id, e.label])).toEqual([
      ['201359', 1],
      ['263843', 0],
    ]);
    const mnli = readGlueTsv(readText('glue/mnli-dev_matched.tsv'), 'mnli');
    expect(mnli.examples.map((e) => [e.textA, e.textB, e.label])).toEqual([
      ['The cat sleeps.', 'A dog barks.', 2 - 1], // neutral = 1
      ['It rains all day.', 'It is wet outside.', 0], // entailment
      ['He left early.', 'He stayed until midnight.', 2], // contradiction
    ]);
    const qnli = readGlueTsv(readText('glue/qnli-dev.tsv'), 'qnli');
    expect(qnli.examples.map((e) => [e.textA, e.label])).toEqual([
      ['What color is the sky?', 0],
      ['Who wrote the book?', 1],
    ]);
    const wnli = readGlueTsv(readText('glue/wnli-dev.tsv'), 'wnli');
    expect(wnli.examples.map((e) => e.label)).toEqual([1, 0]);
    const mrpcTest = readGlueTsv(readText('glue/mrpc-test.tsv'), 'mrpc');
    expect(mrpcTest.examples[0]?.label).toBeNull();
    expect(Object.keys(GLUE_LAYOUTS).sort()).toEqual([
      'cola',
      'mnli',
      'mrpc',
      'qnli',
      'qqp',
      'rte',
      'sst2',
      'stsb',
      'wnli',
    ]);
  });

  it('says where a row is wrong: file, line, column, what was expected', () => {
    const text = 'sentence\tlabel\ngood one \t1\nbad label \t2\n';
    const err = thrown(() => readGlueTsv(text, 'sst2', { file: 'dev.tsv' }));
    expect(err).toBeInstanceOf(TaskDataError);
    expect(err).toBeInstanceOf(AlbertError);
    expect(err.message).toBe('dev.tsv:3:12: expected a sst2 label (0, 1) in column "label", got "2"');
    expect([(err as TaskDataError).line, (err as TaskDataError).column]).toEqual([3, 12]);
    const fields = thrown(() => readGlueTsv('sentence\tlabel\nno tab here\n', 'sst2', { file: 'x.tsv' }));
    expect(fields.message).toBe('x.tsv:2:12: expected 2 tab-separated fields (sentence | label), got 1');
    const header = thrown(() => readGlueTsv('premise\thypothesis\tlabel\n', 'rte', { file: 'rte.tsv' }));
    expect(header.message).toMatch(
      /^rte\.tsv:1:1: the rte header has no column "sentence1"; expected GLUE's rte layout/,
    );
    const score = thrown(() => readGlueTsv(`${readText('glue/stsb-dev.tsv')}3\tg\tf\ty\to\ts\ts\ta\tb\tn/a\n`, 'stsb'));
    expect(score.message).toMatch(/^<glue>:5:\d+: expected a number in column "score", got "n\/a"$/);
  });

  it('skips bad rows on request and reports them (as HF skips QQP’s broken lines)', () => {
    const text =
      'id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n1\t2\t3\tA?\tB?\t1\n4\t5\t6\tbroken\n7\t8\t9\tC?\tD?\t0\n';
    const data = readGlueTsv(text, 'qqp', { onBadRow: 'skip', file: 'train.tsv' });
    expect(data.examples.map((e) => e.id)).toEqual(['1', '7']);
    expect(data.skipped).toEqual([
      {
        file: 'train.tsv',
        line: 3,
        column: 13,
        reason: 'expected 6 tab-separated fields (id | qid1 | qid2 | question1 | question2 | is_duplicate), got 4',
      },
    ]);
  });
});

describe('CoNLL / WNUT', () => {
  it('WNUT-17 train: tab columns, sentences separated by lines holding a tab', async () => {
    const sentences = await readConllFile(fixture('wnut17-train-slice.conll'));
    expect(sentences).toHaveLength(40);
    expect(sentences.reduce((n, s) => n + s.tokens.length, 0)).toBe(695);
    const first = sentences[0];
    expect(first?.tokens.slice(13, 20)).toEqual(['.', 'Empire', 'State', 'Building', '=', 'ESB', '.']);
    expect(first?.tags.slice(13, 20)).toEqual(['O', 'B-location', 'I-location', 'I-location', 'O', 'B-location', 'O']);
    expect(first?.line).toBe(1);
    expect(sentences[1]?.line).toBe(29);
  });

  it('WNUT-17 dev: blank-line separators', () => {
    const sentences = readConll(readText('wnut17-dev-slice.conll'));
    expect(sentences).toHaveLength(10);
    expect(sentences[0]?.tokens.slice(0, 3)).toEqual(['Stabilized', 'approach', 'or']);
  });

  it('CoNLL-2003 style: space-separated columns, tag last, -DOCSTART- lines', () => {
    const text = '-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\r\nPeter NNP B-NP B-PER\n';
    const sentences = readConll(text);
    expect(sentences.map((s) => [s.tokens, s.tags, s.line])).toEqual([
      [['EU', 'rejects'], ['B-ORG', 'O'], 3],
      [['Peter'], ['B-PER'], 6],
    ]);
    expect(readConll(text, { tagColumn: 2 })[0]?.tags).toEqual(['B-NP', 'B-VP']);
  });

  it('says which line and column hold a bad tag', () => {
    const err = thrown(() => readConll('Paris\tB-LOC\nis\tX\n', { file: 'a.conll' }));
    expect(err.message).toBe(
      'a.conll:2:4: expected an IOB2 tag (O, B-TYPE or I-TYPE), got "X"; convert IOB1/IOBES files to IOB2 first',
    );
    expect(thrown(() => readConll('EU NNP S-ORG\n')).message).toMatch(/^<conll>:1:8: expected an IOB2 tag/);
    expect(thrown(() => readConll('lonely\n', { file: 'b' })).message).toMatch(/^b:1:7: expected "token<TAB>tag"/);
  });
});

describe('SQuAD JSON', () => {
  it('SQuAD v1.1 dev slice: 397 questions of 3 articles, answers checked at answer_start', async () => {
    const { version, examples } = await readSquadFile(fixture('squad-v1.1-dev-slice.json'));
    expect(version).toBe('1.1');
    expect(examples).toHaveLength(397);
    expect(new Set(examples.map((e) => e.title))).toEqual(
      new Set(['Sky_(United_Kingdom)', 'Amazon_rainforest', 'Packet_switching']),
    );
    const first = examples[0];
    expect(first?.id).toBe('57092322efce8f15003a7db0');
    expect(first?.question).toBe(
      'What company was formed by the merger of Sky Television and British Satellite Broadcasting?',
    );
    expect(first?.answers[0]).toEqual({ text: 'BSkyB', answerStart: 98 });
    expect(first?.context.slice(98, 103)).toBe('BSkyB');
    expect(examples.at(-1)?.id).toBe('572648d1708984140094c161');
    expect(new Set(examples.map((e) => e.context)).size).toBe(66);
  });

  it('SQuAD v2.0: impossible questions with plausible answers', () => {
    const { examples } = readSquadJson(readText('squad-v2-sample.json'));
    expect(examples.map((e) => [e.id, e.isImpossible, e.answers.length, e.plausibleAnswers.length])).toEqual([
      ['q-answerable', false, 2, 0],
      ['q-impossible', true, 0, 1],
    ]);
  });

  it('locates structural errors and syntax errors by line and column', () => {
    const bad = readText('squad-v2-sample.json').replace('"answer_start": 23 }]', '"answer_start": 24 }]');
    const err = thrown(() => readSquadJson(bad, { file: 'v2.json' }));
    expect(err).toBeInstanceOf(TaskDataError);
    expect(err.message).toBe(
      'v2.json:13:120: data[0].paragraphs[0].qas[0].answers[1].answer_start: the context at 24 reads "wiss Alps ", not the answer "Swiss Alps"; fix answer_start or pass checkAnswers: false',
    );
    expect(readSquadJson(bad, { checkAnswers: false }).examples[0]?.answers[1]?.answerStart).toBe(24);
    const syntax = thrown(() => readSquadJson('{"data": [\n  {"title": "x",}\n]}', { file: 's.json' }));
    expect(syntax.message).toBe('s.json:2:17: invalid JSON: Expected double-quoted property name');
    const missing = thrown(() =>
      readSquadJson('{"version": "1.1", "data": [{"title": "t", "paragraphs": [{"qas": []}]}]}'),
    );
    expect(missing.message).toBe(
      '<squad>:1:59: data[0].paragraphs[0].context: expected the context (a string), got undefined',
    );
  });
});

describe('multiple-choice JSONL (RACE layout)', () => {
  it('reads letters, indices and missing answers; cloze and plain questions', () => {
    const examples = readMultipleChoiceJsonl(readText('race-like.jsonl'));
    expect(examples.map((e) => [e.id, e.options.length, e.label, e.line])).toEqual([
      ['hand-1', 4, 1, 1],
      ['hand-2', 4, 3, 2],
      ['hand-3', 3, 2, 4],
      ['hand-4', 2, null, 5],
    ]);
    expect(examples[2]?.context).toBe('Water boils at 100 degrees Celsius at sea level.');
  });

  it('names the line and field that is wrong', () => {
    const line2 = '{"article": "a", "question": "q", "options": ["x", "y"], "answer": "C"}';
    const err = thrown(() =>
      readMultipleChoiceJsonl(`{"article": "a", "question": "q", "options": ["x", "y"], "answer": "A"}\n${line2}\n`, {
        file: 'race.jsonl',
      }),
    );
    expect(err.message).toBe('race.jsonl:2:68: answer: expected an answer letter A..B (or an index 0..1), got "C"');
    const json = thrown(() => readMultipleChoiceJsonl('\n{"article": "a",, }\n', { file: 'r' }));
    expect(json.message).toMatch(/^r:2:17: invalid JSON/);
    const opts = thrown(() => readMultipleChoiceJsonl('{"article": "a", "question": "q", "options": ["x", 3]}'));
    expect(opts.message).toBe('<jsonl>:1:52: options[1]: expected an option (a string), got 3');
  });
});
