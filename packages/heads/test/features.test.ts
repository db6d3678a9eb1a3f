// Feature builders on hand-worked examples: the ALBERT pieces of each word/text (shown in the
// comments, from albert-30k.model) decide every expected id, label and position, following the
// rules of HF run_ner.py (first piece labelled), run_qa.py (windows, answer token span) and
// run_swag.py / the RACE processor (question+option, longest_first truncation).
import { describe, expect, it } from 'vitest';
import {
  collate,
  collateChoices,
  labelMapFromConfig,
  labelMapFromData,
  multipleChoiceFeatures,
  readConll,
  sequenceClassificationFeatures,
  squadFeatures,
  TaskInputError,
  tokenClassificationFeatures,
  IGNORE_INDEX as X,
} from '../src/index.js';
import { albert, readText, thrown } from './load.js';

const tok = albert();
const CLS = 2;
const SEP = 3;

describe('token classification (NER)', () => {
  // ▁eu | ▁reject s | ▁german | ▁call | ▁ .
  const sentence = { tokens: ['EU', 'rejects', 'German', 'call', '.'], tags: ['B-ORG', 'O', 'B-MISC', 'O', 'O'] };
  const map = labelMapFromData([sentence.tags]); // sorted: B-MISC 0, B-ORG 1, O 2

  it('labels the first piece of each word, -100 on the other pieces and on [CLS]/[SEP]', () => {
    expect(map.labels).toEqual(['B-MISC', 'B-ORG', 'O']);
    const [f] = tokenClassificationFeatures(tok, [sentence], { labelMap: map });
    expect([...(f?.inputIds ?? [])]).toEqual([CLS, 2898, 12170, 18, 548, 645, 13, 9, SEP]);
    expect([...(f?.labels ?? [])]).toEqual([X, 1, 2, X, 0, 2, 2, X, X]);
    expect([...(f?.wordIds ?? [])]).toEqual([-1, 0, 1, 1, 2, 3, 4, 4, -1]);
    // offsets point into the words joined by spaces: "EU rejects German call ."
    const text = sentence.tokens.join(' ');
    const spans = [];
    for (let i = 1; i < 8; i++) spans.push(text.slice(f?.offsets[2 * i], f?.offsets[2 * i + 1]));
    expect(spans).toEqual(['EU', 'reject', 's', 'German', 'call', '', '.']);
    expect(f?.droppedWords).toBe(0);
  });

  it('labelAllTokens: every piece gets its word label, B-X becoming I-X after the first (run_ner b_to_i_label)', () => {
    // ▁red ondo | ▁beach | ▁reject s
    const s = { tokens: ['Redondo', 'Beach', 'rejects'], tags: ['B-LOC', 'I-LOC', 'O'] };
    const m = labelMapFromData([s.tags]); // B-LOC 0, I-LOC 1, O 2
    const [all] = tokenClassificationFeatures(tok, [s], { labelMap: m, labelAllTokens: true });
    expect([...(all?.labels ?? [])]).toEqual([X, 0, 1, 1, 2, 2, X]);
    const [first] = tokenClassificationFeatures(tok, [s], { labelMap: m });
    expect([...(first?.labels ?? [])]).toEqual([X, 0, X, 1, 2, X, X]);
    // without I-X in the map, B-X stays B-X
    const noI = labelMapFromData([['B-LOC', 'O']]);
    const [k] = tokenClassificationFeatures(tok, [{ tokens: ['Redondo'], tags: ['B-LOC'] }], {
      labelMap: noI,
      labelAllTokens: true,
    });
    expect([...(k?.labels ?? [])]).toEqual([X, 0, 0, X]);
  });

  it('truncates to maxLength, pads on request, and counts the words that lost their label', () => {
    const [f] = tokenClassificationFeatures(tok, [sentence], { labelMap: map, maxLength: 5 });
    expect([...(f?.inputIds ?? [])]).toEqual([CLS, 2898, 12170, 18, SEP]);
    expect(f?.droppedWords).toBe(3);
    const [p] = tokenClassificationFeatures(tok, [sentence], { labelMap: map, maxLength: 12, padding: 'max_length' });
    expect([...(p?.labels ?? [])].slice(9)).toEqual([X, X, X]);
    expect([...(p?.attentionMask ?? [])]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    // a zero-width space tokenizes to nothing: its label is lost, as in HF
    const [z] = tokenClassificationFeatures(tok, [{ tokens: ['EU', '\u200b'], tags: ['B-ORG', 'O'] }], {
      labelMap: map,
    });
    expect([...(z?.labels ?? [])]).toEqual([X, 1, X]);
    expect(z?.droppedWords).toBe(1);
  });

  it('WNUT-17: one label per word that has pieces, on its first piece', () => {
    const sentences = readConll(readText('wnut17-train-slice.conll'));
    const m = labelMapFromData(sentences.map((s) => s.tags));
    // the tags of the first 40 sentences, sorted (as Python's sorted(set(...)) gives them)
    expect(m.labels).toEqual([
      'B-corporation',
      'B-creative-work',
      'B-group',
      'B-location',
      'B-person',
      'B-product',
      'I-creative-work',
      'I-location',
      'I-person',
      'O',
    ]);
    const features = tokenClassificationFeatures(tok, sentences, { labelMap: m });
    features.forEach((f, n) => {
      const s = sentences[n] as { tokens: string[]; tags: string[] };
      s.tokens.forEach((word, w) => {
        const pieces = tok.encodeSequence(word).ids.length;
        const at = [...f.wordIds].indexOf(w);
        if (pieces === 0) expect(at).toBe(-1);
        else {
          expect(f.labels[at]).toBe(m.label2id[s.tags[w] as string]);
          for (let k = 1; k < pieces; k++) expect(f.labels[at + k]).toBe(X);
        }
      });
    });
  });

  it('takes the label map from a config, checking the data against it', () => {
    const config = { id2label: { 0: 'O', 1: 'B-ORG', 2: 'B-MISC' } };
    const m = labelMapFromConfig(config, [sentence.tags]);
    expect(m.label2id).toEqual({ O: 0, 'B-ORG': 1, 'B-MISC': 2 });
    const [f] = tokenClassificationFeatures(tok, [sentence], { labelMap: m });
    expect([...(f?.labels ?? [])]).toEqual([X, 1, 0, X, 2, 0, 0, X, X]);
    expect(thrown(() => labelMapFromConfig({ label2id: { O: 0 } }, [sentence.tags])).message).toBe(
      'the data uses labels the config does not have: "B-ORG", "B-MISC"; config labels: O',
    );
    expect(thrown(() => labelMapFromConfig({ label2id: { O: 0, X: 2 } }))).toBeInstanceOf(TaskInputError);
  });
});

describe('SQuAD features', () => {
  // context pieces (index: piece [start,end) before trimming):
  // 0 ▁the[0,3] 1 ▁rhine[3,9] 2 ▁rises[9,15] 3 ▁in[15,18] 4 ▁the[18,22] 5 ▁swiss[22,28] 6 ▁alps[28,33]
  // 7 ▁and 8 ▁flows 9 ▁1[43,45] 10 ,[45,46] 11 230[46,49] 12 ▁kilometres[49,60] 13 ▁to 14 ▁the 15 ▁north 16 ▁sea 17 .
  // question: ▁where ▁does ▁the ▁rhine ▁rise ? (6 pieces)
  const context = 'The Rhine rises in the Swiss Alps and flows 1,230 kilometres to the North Sea.';
  const question = 'Where does the Rhine rise?';
  const options = { maxLength: 16, docStride: 3 };

  it('windows: 16 = [CLS] + 6 + [SEP] + 7 context + [SEP]; consecutive windows share 3 tokens', () => {
    const fs = squadFeatures(tok, [{ question, context }], options);
    // 7 context tokens per window, step 7 − 3 = 4: windows start at context token 0, 4, 8, 12
    expect(fs).toHaveLength(4);
    expect(fs.map((f) => [f.contextStart, f.contextEnd])).toEqual([
      [8, 14],
      [8, 14],
      [8, 14],
      [8, 13],
    ]);
    expect(fs.every((f) => f.inputIds.length === 16 && f.exampleIndex === 0)).toBe(true);
    expect(fs[3]?.attentionMask[15]).toBe(0); // 15 tokens + padding
    // offsets: whitespace trimmed, -1 outside the context
    const off = (f: number, i: number) => [fs[f]?.offsets[2 * i], fs[f]?.offsets[2 * i + 1]];
    expect(off(0, 8)).toEqual([0, 3]);
    expect(off(0, 9)).toEqual([4, 9]); // " Rhine" → "Rhine"
    expect(off(0, 0)).toEqual([-1, -1]);
    expect(off(0, 3)).toEqual([-1, -1]);
    expect(off(0, 15)).toEqual([-1, -1]);
    expect(off(1, 8)).toEqual([19, 22]); // window 1 starts at context token 4: "the"
    expect(off(2, 9)).toEqual([44, 45]); // "1"
  });

  it('labels each window with the answer token span, or [CLS] when the window does not hold it all', () => {
    const label = (text: string, answerStart: number) =>
      squadFeatures(tok, [{ question, context, answers: [{ text, answerStart }] }], options).map((f) => [
        f.startPosition,
        f.endPosition,
      ]);
    // "Swiss Alps" = context tokens 5-6: window 0 at 8+5, window 1 (starts at token 4) at 8+1
    expect(label('Swiss Alps', 23)).toEqual([
      [13, 14],
      [9, 10],
      [0, 0],
      [0, 0],
    ]);
    // "in the Swiss Alps" = tokens 3-6: only window 0 holds token 3
    expect(label('in the Swiss Alps', 16)).toEqual([
      [11, 14],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    // "1,230 kilometres" = tokens 9-12: only window 2 (tokens 8-14)
    expect(label('1,230 kilometres', 44)).toEqual([
      [0, 0],
      [0, 0],
      [9, 12],
      [0, 0],
    ]);
    // an answer inside a word covers the whole piece: "Alp" → ▁alps (token 6)
    expect(label('Alp', 29)[0]).toEqual([14, 14]);
    // leading/trailing whitespace of the gold answer is not part of the span
    expect(label(' Swiss Alps ', 22)[0]).toEqual([13, 14]);
    // the window's last context token: window 0 ends at token 6 (▁alps)
    expect(label('Alps', 29)[0]).toEqual([14, 14]);
    // no answers: [CLS]
    expect(squadFeatures(tok, [{ question, context, answers: [] }], options).every((f) => f.startPosition === 0)).toBe(
      true,
    );
  });

  it('keeps maxQueryLength question tokens and strips the question’s leading whitespace', () => {
    const [f] = squadFeatures(tok, [{ question: `   ${question}`, context }], { maxQueryLength: 3 });
    expect([...(f?.inputIds.subarray(0, 5) ?? [])]).toEqual([CLS, ...tok.encodeSequence('Where does the').ids, SEP]);
    expect(f?.contextStart).toBe(5);
    expect(f?.inputIds.length).toBe(384);
  });
});

describe('multiple choice', () => {
  const race = [
    {
      context: 'The museum opens at nine and closes at five, but on Fridays it stays open until eight.',
      question: 'On Fridays the museum closes at _.',
      options: ['five', 'eight'],
      label: 1,
    },
    {
      context: 'Tom waters the beans.',
      question: 'What does Tom water?',
      options: ['beans', 'roses', 'trees'],
      label: 0,
    },
  ];

  it('builds one [CLS] context [SEP] question+option [SEP] per option (cloze: the option replaces _)', () => {
    const [cloze, plain] = multipleChoiceFeatures(tok, race);
    const expected = tok.encodeBatch(
      [
        [race[0]?.context as string, 'On Fridays the museum closes at five.'],
        [race[0]?.context as string, 'On Fridays the museum closes at eight.'],
      ],
      { padding: 'longest' },
    );
    expect(cloze?.numChoices).toBe(2);
    expect(cloze?.seqLength).toBe(expected[0]?.inputIds.length);
    expect([...(cloze?.inputIds ?? [])]).toEqual([...(expected[0]?.inputIds ?? []), ...(expected[1]?.inputIds ?? [])]);
    expect([...(cloze?.tokenTypeIds ?? [])]).toEqual([
      ...(expected[0]?.tokenTypeIds ?? []),
      ...(expected[1]?.tokenTypeIds ?? []),
    ]);
    const second = tok.encode(race[1]?.context as string, 'What does Tom water? roses');
    expect(
      [...(plain?.inputIds.subarray(plain.seqLength, 2 * plain.seqLength) ?? [])].slice(0, second.inputIds.length),
    ).toEqual([...second.inputIds]);
    expect(plain?.label).toBe(0);
  });

  it('truncates longest_first by default (HF run_swag: truncation=True), only_first on request', () => {
    const ex = [
      {
        context: race[0]?.context as string,
        question: 'Which hour is the closing time on Fridays, according to the text?',
        options: ['eight o clock in the evening'],
      },
    ];
    const [lf] = multipleChoiceFeatures(tok, ex, { maxLength: 24 });
    const pair = [ex[0]?.context as string, `${ex[0]?.question} eight o clock in the evening`] as const;
    expect([...(lf?.inputIds ?? [])]).toEqual([
      ...tok.encode(pair[0], pair[1], { maxLength: 24, truncation: 'longest_first' }).inputIds,
    ]);
    const [of] = multipleChoiceFeatures(tok, ex, { maxLength: 28, truncation: 'only_first' });
    const second = tok.encodeSequence(pair[1]).ids;
    expect([...(of?.inputIds.subarray(28 - second.length - 1, 27) ?? [])]).toEqual([...second]);
  });

  it('collateChoices stacks [batch, choices, seq] and pads every choice row', () => {
    const fs = multipleChoiceFeatures(tok, [
      race[1] as (typeof race)[1],
      { ...(race[1] as (typeof race)[1]), context: 'Tom waters the beans and the roses every morning.', label: 1 },
    ]);
    const b = collateChoices(fs);
    expect([b.batchSize, b.numChoices]).toEqual([2, 3]);
    expect(b.seqLength).toBe(Math.max(fs[0]?.seqLength ?? 0, fs[1]?.seqLength ?? 0));
    expect([...(b.labels ?? [])]).toEqual([0, 1]);
    const s = b.seqLength;
    const row = (bi: number, c: number) => [...b.inputIds.subarray((bi * 3 + c) * s, (bi * 3 + c + 1) * s)];
    const f0 = fs[0] as { seqLength: number; inputIds: Int32Array };
    expect(row(0, 2)).toEqual([
      ...f0.inputIds.subarray(2 * f0.seqLength, 3 * f0.seqLength),
      ...Array(s - f0.seqLength).fill(0),
    ]);
  });
});

describe('sequence classification and collate', () => {
  it('pairs truncated longest_first to 128 and padded, labels passed through; collate stacks them', () => {
    const fs = sequenceClassificationFeatures(tok, [
      { textA: 'A man plays the flute.', textB: 'A man is playing a flute.', label: 4.8 },
      { textA: 'Stocks fell.', label: 0.5 },
    ]);
    expect(fs[0]?.inputIds.length).toBe(128);
    expect([...(fs[0]?.inputIds.subarray(0, 20) ?? [])]).toEqual([
      ...tok.encode('A man plays the flute.', 'A man is playing a flute.', { maxLength: 20, padding: 'max_length' })
        .inputIds,
    ]);
    const b = collate(fs, { regression: true });
    expect([b.batchSize, b.seqLength]).toEqual([2, 128]);
    expect(b.labels).toBeInstanceOf(Float32Array);
    expect([...(b.labels ?? [])]).toEqual([Math.fround(4.8), 0.5]);
  });

  it('pads rows of different lengths (ids with padId, masks 0, token labels -100)', () => {
    const map = labelMapFromData([['O', 'B-X']]);
    const fs = tokenClassificationFeatures(
      tok,
      [
        { tokens: ['a'], tags: ['O'] },
        { tokens: ['EU', 'rejects'], tags: ['B-X', 'O'] },
      ],
      { labelMap: map },
    );
    const b = collate(fs);
    expect([b.batchSize, b.seqLength]).toEqual([2, 5]);
    expect([...b.attentionMask]).toEqual([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
    expect([...(b.labels ?? [])].slice(0, 5)).toEqual([X, 1, X, X, X]);
    expect(b.inputIds[3]).toBe(0);
    const qa = squadFeatures(tok, [
      { question: 'Who?', context: 'Tom did.', answers: [{ text: 'Tom', answerStart: 0 }] },
    ]);
    const qb = collate(qa);
    // [CLS] ▁who ? [SEP] ▁tom ...: "Tom" is token 4
    expect([...(qb.startPositions ?? [])]).toEqual([4]);
    expect([...(qb.endPositions ?? [])]).toEqual([4]);
    expect(thrown(() => collate([]))).toBeInstanceOf(TaskInputError);
  });
});
