// Random small corpora (mixed scripts, emoji, combining marks, odd whitespace and control characters):
// the trainer always writes a valid model, and Python sentencepiece segments text with each exactly
// as our encoder does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomFloat, rngFor } from '@albert-ts/common';
import { afterAll, expect } from 'vitest';
import { itWith, PYTHON, pythonModules } from '../../../../test-utils/requirements.js';
import { parseModelProto } from '../../src/model/model-proto.js';
import { SentencePieceProcessor } from '../../src/processor.js';
import { trainUnigram } from '../../src/trainer/index.js';

const sentencepiece = pythonModules(['sentencepiece'], 'apt-get install python3-sentencepiece');
const dir = mkdtempSync(join(tmpdir(), 'albert-trainer-random-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ALPHABET = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789',
  ...'     ',
  ...'.,;:!?\'"()-–—…«»“”',
  ...'éèçñüößøåæ',
  'e\u0301',
  'a\u0308',
  ...'αβγδЖжшщ',
  ...'東京大学日本語ひらがなカタカナ',
  '😀',
  '🎉',
  '👍🏽',
  '\t',
  '\u00a0',
  '\u3000',
  '\u200b',
  '\u0007',
  'ﬁ',
  '①',
  '＄',
];

// deterministic uniforms in [0, 1) from albert-ts's one seeded generator family
function lcg(seed: number) {
  const g = rngFor(seed);
  return () => randomFloat(g);
}

function corpusOf(seed: number): string[] {
  const random = lcg(seed);
  // Zipf-ish: a small vocabulary of random "words", drawn with skewed frequencies.
  const words = Array.from({ length: 40 }, () =>
    Array.from({ length: 1 + Math.floor(random() * 7) }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join(
      '',
    ),
  );
  return Array.from({ length: 60 }, () =>
    Array.from({ length: Math.floor(random() * 12) }, () => words[Math.floor(words.length * random() ** 2)]).join(' '),
  );
}

itWith(sentencepiece, '40 random corpora and option mixes: valid models, Python segments as we do', async () => {
  const texts = [...corpusOf(999).slice(0, 10), 'plain text', ' \t ', '😀😀 東京 e\u0301'];
  const models: Record<string, string> = {};
  const ours: Record<string, number[][]> = {};
  for (let seed = 1; seed <= 40; seed++) {
    const r = await trainUnigram(corpusOf(seed), {
      vocabSize: 120,
      hardVocabLimit: false,
      seed,
      splitByWhitespace: seed % 2 === 0,
      normalizationRuleName: seed % 3 === 0 ? 'identity' : 'nmt_nfkc',
      splitDigits: seed % 5 === 0,
      splitByUnicodeScript: seed % 7 !== 0,
      lowercase: seed % 4 === 1,
      userDefinedSymbols: seed % 6 === 0 ? ['東京', '😀'] : [],
      characterCoverage: seed % 8 === 0 ? 0.98 : 0.9995,
      inputSentenceSize: seed % 9 === 0 ? 30 : 0,
    });
    const m = parseModelProto(r.bytes);
    expect(m.pieces.length).toBeGreaterThan(3);
    expect(m.pieces.length).toBeLessThanOrEqual(120);
    if (seed % 6 === 0) expect(m.pieces.filter((p) => p.piece.includes('東京')).map((p) => p.piece)).toEqual(['東京']);
    expect(new Set(m.pieces.map((p) => p.piece)).size).toBe(m.pieces.length);
    expect(m.pieces.every((p) => p.piece.length > 0 && !p.piece.includes(' '))).toBe(true);
    const path = join(dir, `m${seed}.model`);
    writeFileSync(path, r.bytes);
    models[seed] = path;
    const sp = SentencePieceProcessor.fromBytes(r.bytes);
    ours[seed] = texts.map((t) => sp.encodeAsIds(t));
  }
  const script = `
import json, sys, sentencepiece as spm
req = json.load(sys.stdin)
print(json.dumps({k: spm.SentencePieceProcessor(model_file=p).encode(req['texts']) for k, p in req['models'].items()}))
`;
  const py = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify({ models, texts }), encoding: 'utf8' });
  expect(py.stderr).toBe('');
  const theirs = JSON.parse(py.stdout) as Record<string, number[][]>;
  for (const seed of Object.keys(models)) expect(ours[seed], `corpus ${seed}`).toEqual(theirs[seed]);
});
