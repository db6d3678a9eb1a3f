// The trainer's models against SentencePiece itself (Debian's python3-sentencepiece 0.1.97):
// Python loads our .model unchanged, segments text exactly as our encoder does, and a model that
// SentencePiece trains with the same settings compresses held-out text as well as ours.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itWith, PYTHON, pythonModules } from '../../../../test-utils/requirements.js';
import { PieceType, parseModelProto } from '../../src/model/model-proto.js';
import { SentencePieceProcessor } from '../../src/processor.js';
import {
  type TrainerProgress,
  trainUnigram,
  trainUnigramFromFiles,
  type UnigramTrainResult,
} from '../../src/trainer/index.js';

const fixtures = join(import.meta.dirname, '../fixtures/trainer');
const corpus = join(fixtures, 'gutenberg-slice.txt');
const heldout = readFileSync(join(fixtures, 'gutenberg-heldout.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);
const samples = [
  'Hello (World) - £5.20, naïve café!',
  '“Off with her head!” the Queen shouted at the top of her voice.',
  '  spaces   and\ttabs  ',
  'ΟΔΟΣ 東京 1,234,567 ½ ﬁne',
];

const sentencepiece = pythonModules(['sentencepiece'], 'apt-get install python3-sentencepiece');
const hasPython = sentencepiece.available;

interface PyModel {
  pieces: [string, number, string][];
  ids: number[][];
  pieceCount: number;
}

function python(script: string, input: unknown): Record<string, PyModel> {
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Loads models, lists their pieces, encodes texts, and (optionally) trains SentencePiece's own model.
const PY = `
import json, sys, sentencepiece as spm
req = json.load(sys.stdin)
if req.get('train'):
    spm.SentencePieceTrainer.train(minloglevel=2, **req['train'])
out = {}
for name, path in req['models'].items():
    sp = spm.SentencePieceProcessor(model_file=path)
    n = sp.get_piece_size()
    out[name] = {
        'pieces': [[sp.id_to_piece(i), sp.get_score(i), 'unk' if sp.is_unknown(i) else 'control' if sp.is_control(i) else 'other'] for i in range(n)],
        'ids': sp.encode(req['texts']),
        'pieceCount': sum(len(x) for x in sp.encode(req['heldout'])),
    }
print(json.dumps(out))
`;

let dir: string;
let ours: UnigramTrainResult;
let py: Record<string, PyModel>;
const progress: TrainerProgress[] = [];
const heldoutWords = heldout.reduce((n, l) => n + l.split(/\s+/).filter(Boolean).length, 0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'albert-trainer-'));
  ours = await trainUnigramFromFiles([corpus], { vocabSize: 1000, onProgress: (p) => progress.push(p) });
  writeFileSync(join(dir, 'ours.model'), ours.bytes);
  if (hasPython) {
    py = python(PY, {
      train: { input: corpus, model_prefix: join(dir, 'spm'), vocab_size: 1000, model_type: 'unigram', num_threads: 1 },
      models: { ours: join(dir, 'ours.model'), spm: join(dir, 'spm.model') },
      texts: [...samples, ...heldout],
      heldout,
    });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unigram trainer: default settings, vocab 1000', () => {
  it('writes a model with the requested vocabulary and spm_train-like metadata', () => {
    const m = parseModelProto(ours.bytes);
    expect(m.pieces).toHaveLength(1000);
    expect(m.pieces.slice(0, 3).map((p) => [p.piece, p.type, p.score])).toEqual([
      ['<unk>', PieceType.UNKNOWN, 0],
      ['<s>', PieceType.CONTROL, 0],
      ['</s>', PieceType.CONTROL, 0],
    ]);
    const normal = m.pieces.slice(3);
    expect(normal.every((p) => p.type === PieceType.NORMAL && p.score < 0)).toBe(true);
    for (let i = 1; i < normal.length; i++) expect(normal[i]!.score).toBeLessThanOrEqual(normal[i - 1]!.score);
    expect(new Set(m.pieces.map((p) => p.piece)).size).toBe(1000);
    expect(m.pieces.some((p) => p.piece === '▁the')).toBe(true);
    expect(m.pieces.every((p) => [...p.piece].length <= 16)).toBe(true);
    expect(m.trainerSpec).toMatchObject({ modelType: 1, vocabSize: 1000, unkId: 0, bosId: 1, eosId: 2, padId: -1 });
    expect(m.trainerSpec.input).toEqual([corpus]);
    expect(m.normalizerSpec.name).toBe('nmt_nfkc');
    expect(m.normalizerSpec.precompiledCharsmap?.length).toBe(237561);
    // every character kept by the coverage is a piece
    expect(ours.stats.requiredChars).toBeGreaterThan(60);
    expect(ours.stats.characterCoverage).toBeGreaterThanOrEqual(0.9995);
    // A sentence is a non-empty line, as spm_train counts them (its log: "Loaded all 1436 sentences").
    expect(ours.stats.sentences).toBe(
      readFileSync(corpus, 'utf8')
        .split('\n')
        .filter((l) => l.length > 0).length,
    );
  });

  it('reports progress through every stage in order', () => {
    const stages = [...new Set(progress.map((p) => p.stage))];
    expect(stages).toEqual(['read', 'normalize', 'seed', 'em', 'prune', 'finalize', 'done']);
    const em = progress.filter((p) => p.stage === 'em');
    expect(em.length).toBe(ours.stats.emIterations);
    expect(em.at(-1)?.pieces).toBeLessThanOrEqual(1100);
  });

  itWith(sentencepiece, 'loads unchanged in Python sentencepiece: same pieces, scores and types', () => {
    const m = parseModelProto(ours.bytes);
    expect(py.ours!.pieces).toHaveLength(1000);
    py.ours!.pieces.forEach(([piece, score, kind]: [string, number, string], id: number) => {
      const p = m.pieces[id]!;
      expect(piece).toBe(p.piece);
      expect(score).toBe(Math.fround(p.score));
      expect(kind).toBe(p.type === PieceType.UNKNOWN ? 'unk' : p.type === PieceType.CONTROL ? 'control' : 'other');
    });
  });

  itWith(sentencepiece, 'encodes every held-out line and sample exactly as Python sentencepiece does', () => {
    const sp = SentencePieceProcessor.fromBytes(ours.bytes);
    const texts = [...samples, ...heldout];
    expect(py.ours!.ids).toHaveLength(texts.length);
    for (const [i, t] of texts.entries()) expect(sp.encodeAsIds(t), t).toEqual(py.ours!.ids[i]);
  });

  itWith(sentencepiece, 'compresses held-out text within 2% of SentencePiece trained with the same settings', () => {
    const oursPerWord = py.ours!.pieceCount / heldoutWords;
    const spmPerWord = py.spm!.pieceCount / heldoutWords;
    expect(oursPerWord / spmPerWord).toBeGreaterThan(0.98);
    expect(oursPerWord / spmPerWord).toBeLessThan(1.02);
    // and the vocabularies are nearly the same
    const a = new Set(py.ours!.pieces.map((p) => p[0]));
    const shared = py.spm!.pieces.filter((p) => a.has(p[0])).length;
    expect(shared / 1000).toBeGreaterThan(0.98); // 993 with SentencePiece 0.1.97
  });
});

describe('unigram trainer: ALBERT preset', () => {
  let albert: UnigramTrainResult;
  let pyAlbert: Record<string, PyModel>;
  beforeAll(async () => {
    albert = await trainUnigramFromFiles([corpus], { preset: 'albert', vocabSize: 1000 });
    writeFileSync(join(dir, 'albert.model'), albert.bytes);
    const texts = samples.map((t) => t.toLowerCase());
    if (hasPython) pyAlbert = python(PY, { models: { albert: join(dir, 'albert.model') }, texts, heldout: [] });
  });

  it('has ALBERT ids and types, lower-case pieces, user-defined symbols only as themselves', () => {
    const m = parseModelProto(albert.bytes);
    expect(m.pieces).toHaveLength(1000);
    expect(m.pieces.slice(0, 13).map((p) => `${p.piece}/${p.type}`)).toEqual([
      '<pad>/3',
      '<unk>/2',
      '[CLS]/3',
      '[SEP]/3',
      '[MASK]/3',
      '(/4',
      ')/4',
      '"/4',
      '-/4',
      './4',
      '–/4',
      '£/4',
      '€/4',
    ]);
    expect(m.trainerSpec).toMatchObject({ padId: 0, unkId: 1, bosId: -1, eosId: -1, vocabSize: 1000 });
    expect(m.trainerSpec.controlSymbols).toEqual(['[CLS]', '[SEP]', '[MASK]']);
    const normal = m.pieces.slice(13);
    expect(normal.every((p) => p.piece === p.piece.toLowerCase())).toBe(true);
    expect(normal.some((p) => /[()"\-.–£€]/.test(p.piece))).toBe(false);
    // ALBERT's own charsmap (from the released 30k-clean.model)
    expect(m.normalizerSpec.precompiledCharsmap?.length).toBe(237539);
  });

  itWith(sentencepiece, 'Python segments with it exactly as we do', () => {
    const sp = SentencePieceProcessor.fromBytes(albert.bytes);
    for (const [i, t] of samples.entries()) expect(sp.encodeAsIds(t.toLowerCase()), t).toEqual(pyAlbert.albert!.ids[i]);
    const pieces = sp.encodeAsPieces('hello (world) - £5.');
    expect(pieces).toContain('(');
    expect(pieces).toContain(')');
    expect(pieces).toContain('£');
  });
});

describe('unigram trainer: other settings', () => {
  itWith(sentencepiece, 'identity normalizer, pieces across words, split digits: Python agrees', async () => {
    const lines = readFileSync(corpus, 'utf8').split('\n').slice(0, 200);
    const r = await trainUnigram(lines, {
      vocabSize: 300,
      splitByWhitespace: false,
      normalizationRuleName: 'identity',
      splitDigits: true,
    });
    const m = parseModelProto(r.bytes);
    expect(m.normalizerSpec.name).toBe('identity');
    expect(m.normalizerSpec.precompiledCharsmap).toBeUndefined();
    expect(m.trainerSpec).toMatchObject({ splitByWhitespace: false, splitDigits: true });
    expect(m.pieces.some((p) => p.piece.indexOf('\u2581', 1) > 0)).toBe(true); // e.g. '▁of▁the'
    expect(m.pieces.some((p) => /\d\d/.test(p.piece))).toBe(false);
    writeFileSync(join(dir, 'other.model'), r.bytes);
    const texts = [...samples, ...heldout.slice(0, 20)];
    const out = python(PY, { models: { other: join(dir, 'other.model') }, texts, heldout: [] });
    const sp = SentencePieceProcessor.fromBytes(r.bytes);
    for (const [i, t] of texts.entries()) expect(sp.encodeAsIds(t), t).toEqual(out.other!.ids[i]);
  });
});

describe('unigram trainer: characters outside the BMP and rare characters', () => {
  itWith(sentencepiece, 'learns emoji and CJK pieces, maps rare characters to <unk>, and Python agrees', async () => {
    const base = readFileSync(corpus, 'utf8').split('\n').slice(0, 200);
    const extra = Array.from({ length: 60 }, (_, i) => `emoji 😀😀 party 🎉 東京タワー ${i} 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀🎉`);
    const r = await trainUnigram([...base, ...extra, 'one rare glyph: ꙮ'], {
      vocabSize: 400,
      characterCoverage: 0.9999,
    });
    const m = parseModelProto(r.bytes);
    const pieces = new Set(m.pieces.map((p) => p.piece));
    expect(pieces.has('😀')).toBe(true);
    expect(pieces.has('ꙮ')).toBe(false); // below the coverage: unknown
    writeFileSync(join(dir, 'astral.model'), r.bytes);
    const texts = ['emoji 😀😀 party 🎉', '東京タワー', 'a rare ꙮ glyph', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀'];
    const out = python(PY, { models: { astral: join(dir, 'astral.model') }, texts, heldout: [] });
    const sp = SentencePieceProcessor.fromBytes(r.bytes);
    for (const [i, t] of texts.entries()) expect(sp.encodeAsIds(t), t).toEqual(out.astral!.ids[i]);
    expect(sp.encodeAsIds('a rare ꙮ glyph')).toContain(0); // <unk>
  });
});

describe('unigram trainer: determinism and errors', () => {
  const lines = readFileSync(corpus, 'utf8').split('\n').slice(0, 300);
  it('gives identical bytes for identical input and options', async () => {
    const a = await trainUnigram(lines, { vocabSize: 300 });
    const b = await trainUnigram(lines, { vocabSize: 300 });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.model.pieces).toHaveLength(300);
  });
  it('runs EM in worker threads with the same result up to summation order', async () => {
    const all = readFileSync(corpus, 'utf8').split('\n');
    const one = await trainUnigram(all, { vocabSize: 500 });
    const two = await trainUnigram(all, { vocabSize: 500, numThreads: 2 });
    expect(two.model.pieces).toHaveLength(500);
    expect(two.model.trainerSpec.numThreads).toBe(2);
    const a = new Set(one.model.pieces.map((p) => p.piece));
    expect(two.model.pieces.filter((p) => a.has(p.piece)).length).toBeGreaterThanOrEqual(495);
  });
  it('samples inputSentenceSize sentences with a seed', async () => {
    const a = await trainUnigram(lines, { vocabSize: 200, inputSentenceSize: 100, seed: 1 });
    const b = await trainUnigram(lines, { vocabSize: 200, inputSentenceSize: 100, seed: 2 });
    expect(a.stats.sentences).toBe(100);
    expect(a.bytes).not.toEqual(b.bytes);
  });
  it('explains a vocabulary that is too small or too large, and hardVocabLimit: false', async () => {
    await expect(trainUnigram(lines, { vocabSize: 20 })).rejects.toThrow(
      /vocabSize 20 is too small: 3 special pieces and \d+ required characters \(characterCoverage 0.9995\) need at least \d+; increase vocabSize or lower characterCoverage/,
    );
    await expect(trainUnigram(['hello world', 'hello there'], { vocabSize: 100 })).rejects.toThrow(
      /vocabSize 100 is too high for this corpus: only \d+ pieces could be learned; set vocabSize <= \d+/,
    );
    const small = await trainUnigram(['hello world', 'hello there', 'hello!'], {
      vocabSize: 100,
      hardVocabLimit: false,
    });
    expect(small.model.pieces.length).toBeLessThan(100);
    expect(small.model.pieces.map((p) => p.piece)).toContain('▁hello');
    await expect(trainUnigram(['', 'x'.repeat(5000)], {})).rejects.toThrow(
      /no training sentences: .* 1 of them longer than maxSentenceLength/,
    );
    await expect(trainUnigramFromFiles([join(dir, 'missing.txt')])).rejects.toThrow(
      /input file '.*missing.txt' does not exist/,
    );
  });
});
