// The albert-tokenizer CLI, spawned as a user would run it (TypeScript sources through tsx).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PieceType, parseModelProto } from '../../src/model/model-proto.js';

const pkg = join(import.meta.dirname, '../..');
const model = join(pkg, 'test/fixtures/albert-30k.model');
const dir = mkdtempSync(join(tmpdir(), 'albert-cli-'));
// the first 500 lines of the trainer corpus keep the spawned trainings short
const corpus = join(dir, 'corpus.txt');
writeFileSync(
  corpus,
  readFileSync(join(pkg, 'test/fixtures/trainer/gutenberg-slice.txt'), 'utf8').split('\n').slice(0, 500).join('\n'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], input?: string) {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@albert-ts/source', '--import', 'tsx', join(pkg, 'src/cli/main.ts'), ...args],
    { cwd: pkg, input, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const jsonLines = (s: string) =>
  s
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));

interface Fixture {
  text: string;
  pieces: string[];
  encoded: { input_ids: number[] };
}
interface PairFixture {
  a: string;
  b: string;
  input_ids: number[];
  token_type_ids: number[];
}

describe('albert-tokenizer tokenize', () => {
  it('reads text lines from stdin and writes ids, pieces and offsets as Hugging Face ALBERT gives them', () => {
    const fixtures = jsonLines(readFileSync(join(pkg, 'test/fixtures/albert-30k.jsonl'), 'utf8')) as Fixture[];
    // one text per line: leave out texts with characters readline treats as line breaks
    const lineBreak = (c: string) => '\n\r\u2028\u2029\u0085\u000b\u000c\u001c\u001d\u001e'.includes(c);
    const simple = fixtures.filter((f) => ![...f.text].some(lineBreak)).slice(0, 40);
    const r = cli(['tokenize', '--model', model], simple.map((f) => f.text).join('\n'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = jsonLines(r.stdout);
    const kept = simple.filter((f) => f.text.length > 0);
    expect(out).toHaveLength(kept.length);
    for (const [i, f] of kept.entries()) {
      expect(out[i].ids, f.text).toEqual(f.encoded.input_ids);
      // pieces as the vocabulary spells them: an unknown run shows as <unk>
      const pieces = f.pieces.map((p, k) => (f.encoded.input_ids[k + 1] === 1 ? '<unk>' : p));
      expect(out[i].pieces.slice(1, -1), f.text).toEqual(pieces);
      expect(out[i].offsets[0]).toEqual([0, 0]);
      expect(out[i].attentionMask.every((m: number) => m === 1)).toBe(true);
    }
    expect(out[0].offsets.slice(1, 3)).toEqual([
      [0, 3],
      [3, 9],
    ]); // "The", " quick"
  });

  it('encodes JSONL pairs with token types, and truncates with overflow windows', () => {
    const pairs = jsonLines(readFileSync(join(pkg, 'test/fixtures/albert-30k.pairs.jsonl'), 'utf8')) as PairFixture[];
    const input = pairs.map((p) => JSON.stringify({ question: p.a, context: p.b })).join('\n');
    const file = join(dir, 'pairs.jsonl');
    writeFileSync(file, input);
    const r = cli(['tokenize', '-m', model, '-i', file, '--pair', '--field', 'question', '--pair-field', 'context']);
    expect(r.status).toBe(0);
    const out = jsonLines(r.stdout);
    expect(out).toHaveLength(pairs.length);
    for (const [i, p] of pairs.entries()) {
      expect(out[i].ids).toEqual(p.input_ids);
      expect(out[i].tokenTypeIds).toEqual(p.token_type_ids);
    }
    const t = cli([
      'tokenize',
      '-m',
      model,
      '--max-length',
      '8',
      '--stride',
      '2',
      '--padding',
      'one two three four five six seven eight nine ten',
    ]);
    expect(t.status).toBe(0);
    const [enc] = jsonLines(t.stdout);
    expect(enc.ids).toHaveLength(8);
    expect(enc.pieces).toEqual(['[CLS]', '▁one', '▁two', '▁three', '▁four', '▁five', '▁six', '[SEP]']);
    expect(enc.overflow[0].pieces).toEqual(['[CLS]', '▁five', '▁six', '▁seven', '▁eight', '▁nine', '▁ten', '[SEP]']);
    const raw = cli(['tokenize', '-m', model, '--raw', 'Hello world']);
    expect(jsonLines(raw.stdout)).toEqual([
      {
        ids: [13, 1, 7523, 126],
        pieces: ['▁', 'H', 'ello', '▁world'],
        offsets: [
          [0, 0],
          [0, 1],
          [1, 5],
          [5, 11],
        ],
      },
    ]);
  });

  it('fails with a clear message and exit code 2', () => {
    const missing = cli(['tokenize', '-m', join(dir, 'nope.model'), 'x']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/albert-tokenizer: cannot read the model file '.*nope.model'/);
    const badJson = cli(['tokenize', '-m', model, '--format', 'jsonl'], '{"text": "ok"}\n{oops}\n');
    expect(badJson.status).toBe(2);
    expect(badJson.stderr).toMatch(/line 2: not valid JSON/);
    expect(jsonLines(badJson.stdout)).toHaveLength(1);
    const rawTruncate = cli(['tokenize', '-m', model, '--raw', '--max-length', '8', 'x']);
    expect(rawTruncate.status).toBe(2);
    expect(rawTruncate.stderr).toMatch(
      /--raw encodes plain SentencePiece pieces: --max-length, --stride and --padding need the ALBERT mode/,
    );
  });
});

describe('albert-tokenizer train', () => {
  it('trains a .model (+ .vocab) from files, with progress on stderr', () => {
    const out = join(dir, 'small.model');
    const r = cli(['train', corpus, '-o', out, '--vocab-size', '400', '--control-symbols', '<sep>,<cls>']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/\[train\] em: EM sub_iter=0 size=\d+/);
    expect(r.stderr).toMatch(/wrote .*small.model: 400 pieces from 500 sentences/);
    const m = parseModelProto(readFileSync(out));
    expect(m.pieces).toHaveLength(400);
    expect(m.pieces.slice(0, 5).map((p) => p.piece)).toEqual(['<unk>', '<s>', '</s>', '<sep>', '<cls>']);
    const vocab = readFileSync(join(dir, 'small.vocab'), 'utf8').trim().split('\n');
    expect(vocab).toHaveLength(400);
    expect(vocab[5]?.split('\t')[1]).toMatch(/^-\d/);
  });

  it('reads stdin, applies the ALBERT preset and option overrides, and rejects bad options', () => {
    const out = join(dir, 'albert.model');
    // from stdin ('-')
    const r = cli(
      ['train', '-', '-o', out, '--preset', 'albert', '--vocab-size', '300', '--no-vocab', '-q'],
      readFileSync(corpus, 'utf8'),
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(existsSync(join(dir, 'albert.vocab'))).toBe(false);
    const m = parseModelProto(readFileSync(out));
    expect(m.pieces).toHaveLength(300);
    expect(m.pieces.slice(0, 6).map((p) => [p.piece, p.type])).toEqual([
      ['<pad>', PieceType.CONTROL],
      ['<unk>', PieceType.UNKNOWN],
      ['[CLS]', PieceType.CONTROL],
      ['[SEP]', PieceType.CONTROL],
      ['[MASK]', PieceType.CONTROL],
      ['(', PieceType.USER_DEFINED],
    ]);
    expect(m.trainerSpec.characterCoverage).toBeCloseTo(0.99995, 6);
    expect(m.trainerSpec.input).toEqual(['-']);
    const bad = cli(['train', corpus, '-o', join(dir, 'x.model'), '--vocab-size', '30', '-q']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/albert-tokenizer: vocabSize 30 is too small/);
    const notInt = cli(['train', corpus, '-o', join(dir, 'x.model'), '--vocab-size', 'many']);
    expect(notInt.status).not.toBe(0);
    expect(notInt.stderr).toMatch(/--vocab-size must be an integer, got 'many'/);
  });
});
