import { describe, expect, it } from 'vitest';
import { AlbertError } from '../../src/errors.js';
import { digamma } from '../../src/trainer/digamma.js';
import { TrainerError } from '../../src/trainer/errors.js';
import { metaPieces, resolveTrainerOptions } from '../../src/trainer/options.js';
import { isValidPiece } from '../../src/trainer/piece-rules.js';
import { lowercasePerCodePoint, splitAtSymbols } from '../../src/trainer/prepare.js';
import { readSentences } from '../../src/trainer/read-sentences.js';
import { splitIntoWords } from '../../src/trainer/words.js';

const EULER_GAMMA = 0.5772156649015329;

describe('digamma', () => {
  it('matches closed forms to 1e-9: ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, ψ(4) = −γ + 1 + ½ + ⅓', () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 9);
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.LN2, 9);
    expect(digamma(4)).toBeCloseTo(-EULER_GAMMA + 1 + 1 / 2 + 1 / 3, 9);
    expect(digamma(1e6)).toBeCloseTo(Math.log(1e6) - 1 / 2e6, 9);
  });
});

describe('piece rules (split_by_whitespace / unicode_script / number / digits)', () => {
  const o = resolveTrainerOptions();
  const valid = (s: string, over: Partial<typeof o> = {}) => {
    const cps = Array.from(s, (c) => c.codePointAt(0) as number);
    return isValidPiece(cps, 0, cps.length, { ...o, ...over });
  };
  it('accepts pieces within one script, ▁ only first', () => {
    expect(valid('▁the')).toBe(true);
    expect(valid('ing')).toBe(true);
    expect(valid('▁9,')).toBe(true); // digits and punctuation are both Common
    expect(valid('the▁')).toBe(false);
    expect(valid('a▁b')).toBe(false);
    expect(valid('a▁b', { splitByWhitespace: false })).toBe(true);
    expect(valid('ab▁', { splitByWhitespace: false })).toBe(false);
    expect(valid('▁the,')).toBe(false); // Latin then Common
    expect(valid('▁the,', { splitByUnicodeScript: false })).toBe(true);
    expect(valid('a1')).toBe(false);
    expect(valid('a1', { splitByNumber: false })).toBe(true);
    expect(valid('12', { splitDigits: true })).toBe(false);
    expect(valid('ab\u2047')).toBe(false); // the unknown mark never joins a piece
    expect(valid('abcdefghijklmnopq')).toBe(false); // 17 > maxSentencepieceLength
    expect(valid('ひらカタ漢')).toBe(true); // Hiragana/Katakana count as Han
    expect(valid('αβγ')).toBe(true);
    expect(valid('aβ')).toBe(false);
  });
});

describe('text preparation', () => {
  it('splits before every ▁', () => {
    expect(splitIntoWords('▁hello▁world,▁ok', true)).toEqual(['▁hello', '▁world,', '▁ok']);
    expect(splitIntoWords('x▁y', true)).toEqual(['x', '▁y']);
    expect(splitIntoWords('▁a▁b', false)).toEqual(['▁a▁b']);
  });
  it('cuts user-defined symbols out (longest match first)', () => {
    expect(splitAtSymbols('▁a(b)▁c--d', ['(', ')', '-', '--'])).toEqual(['▁a', 'b', '▁c', 'd']);
    expect(splitAtSymbols('((', ['('])).toEqual([]);
  });
  it('lower-cases one code point at a time, as ALBERT does (Σ → σ, never ς)', () => {
    expect(lowercasePerCodePoint('ΟΔΟΣ Hello İ')).toBe('οδοσ hello i̇');
  });
});

describe('reading sentences', () => {
  const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`);
  it('keeps everything by default and drops empty and too-long lines', async () => {
    const r = await readSentences(['a', '', 'b\r', 'x'.repeat(5000), 'é'.repeat(2097)], {
      inputSentenceSize: 0,
      shuffleInputSentence: true,
      maxSentenceLength: 4192,
      seed: 0,
    });
    expect(r.sentences).toEqual(['a', 'b']);
    expect(r.tooLong).toBe(2); // 'é' × 2097 is 4194 UTF-8 bytes
    expect(r.seen).toBe(2);
  });
  it('samples inputSentenceSize lines with a seeded reservoir: bounded, deterministic, uniform-ish', async () => {
    const o = { inputSentenceSize: 100, shuffleInputSentence: true, maxSentenceLength: 4192, seed: 3 };
    const a = await readSentences(lines, o);
    const b = await readSentences(lines, o);
    const c = await readSentences(lines, { ...o, seed: 4 });
    expect(a.sentences).toHaveLength(100);
    expect(a.seen).toBe(1000);
    expect(a.sentences).toEqual(b.sentences);
    expect(a.sentences).not.toEqual(c.sentences);
    expect(new Set(a.sentences).size).toBe(100);
    const late = a.sentences.filter((s) => Number(s.split(' ')[1]) >= 500).length;
    expect(late).toBeGreaterThan(30); // not just the first lines
    expect(late).toBeLessThan(70);
    const first = await readSentences(lines, { ...o, shuffleInputSentence: false });
    expect(first.sentences).toEqual(lines.slice(0, 100));
  });
});

describe('options and special pieces', () => {
  it('places meta pieces like spm_train: unk/bos/eos/pad at their ids, then control, then user-defined', () => {
    const o = resolveTrainerOptions({}, 'albert');
    expect(metaPieces(o).map((m) => `${m.id}:${m.piece}:${m.kind}`)).toEqual([
      '0:<pad>:control',
      '1:<unk>:unk',
      '2:[CLS]:control',
      '3:[SEP]:control',
      '4:[MASK]:control',
      '5:(:user',
      '6:):user',
      '7:":user',
      '8:-:user',
      '9:.:user',
      '10:–:user',
      '11:£:user',
      '12:€:user',
    ]);
    expect(o.vocabSize).toBe(30000);
    expect(o.lowercase).toBe(true);
    const d = resolveTrainerOptions({ controlSymbols: ['<sep>'], userDefinedSymbols: ['@@'] });
    expect(metaPieces(d).map((m) => m.piece)).toEqual(['<unk>', '<s>', '</s>', '<sep>', '@@']);
  });
  it('rejects bad options with a TrainerError (an AlbertError) that names the option', () => {
    const bad: [object, RegExp][] = [
      [{ vocabSize: 0 }, /vocabSize must be an integer >= 1/],
      [{ vocabSize: 2.5 }, /vocabSize must be an integer/],
      [{ characterCoverage: 1.5 }, /characterCoverage must be in \(0, 1\]/],
      [{ shrinkingFactor: 1 }, /shrinkingFactor must be in \(0, 1\)/],
      [{ unkId: -1 }, /unkId must be >= 0/],
      [{ padId: 1 }, /padId: id 1 for '<pad>' is already used by '<s>'/],
      [{ controlSymbols: ['<s>'] }, /piece '<s>' is defined twice/],
      [{ vocabSize: 3, userDefinedSymbols: ['x'] }, /id 3 for 'x' is outside the vocabulary \(vocabSize 3\)/],
      [{ vocabSze: 10 }, /unknown trainer option 'vocabSze'/],
    ];
    for (const [options, message] of bad) {
      let error: unknown;
      try {
        resolveTrainerOptions(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TrainerError);
      expect(error).toBeInstanceOf(AlbertError);
      expect((error as Error).message).toMatch(message);
    }
    expect(() => resolveTrainerOptions({}, 'bert')).toThrow(/unknown trainer preset 'bert'; known presets: albert/);
  });
});
