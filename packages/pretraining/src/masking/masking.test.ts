import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rngFor } from '../random/seeded-rng.js';
import { MaskDecision, maskNgrams, mlmLabels } from './ngram-masking.js';
import { roundHalfEven } from './round-half-even.js';
import { isStartPieceSp, wordStarts } from './word-start.js';

const OPTS = { maskTokenId: 4, vocabSize: 30000, specialIds: [0, 2, 3] };

describe('word starts (create_pretraining_data.py _is_start_piece_sp)', () => {
  it.each([
    ['▁the', true],
    ['ing', false],
    ['s', false],
    ['Ab', false],
    [',', true],
    ['.', true],
    ['-', true],
    ['a-b', false], // letters and listed punctuation only: continues
    ["'s", true], // the apostrophe is missing from the file's list
    ["'", true],
    ['2', true], // digits are not "english chars"
    ['19', true],
    ['é', true],
    ['<unk>', true],
    ['=', true],
    ['▁', true],
  ])('%s → %s', (piece, start) => {
    expect(isStartPieceSp(piece)).toBe(start);
  });

  it('flags a piece list', () => {
    expect([...wordStarts(['▁un', 'believ', 'able', '▁!', '▁x', '2'])]).toEqual([1, 0, 0, 1, 1, 1]);
    expect([...wordStarts(['un', '##believ', '##able'], 'wordpiece')]).toEqual([1, 0, 0]);
  });
});

describe('budget: min(20, max(1, round(len * 0.15))) with Python rounding', () => {
  it('rounds halves to even like Python 3 round()', () => {
    expect([0.5, 1.5, 2.5, 4.5, 7.5, 10.5, 13.5, 16.5, 19.2, 19.5].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, 8, 10, 14, 16, 19, 20,
    ]);
  });

  it.each([
    [3, 1],
    [10, 2],
    [30, 4],
    [50, 8],
    [70, 10],
    [90, 14],
    [110, 16],
    [128, 19],
    [130, 20],
    [512, 20],
  ])('length %i → %i (values from CPython)', (length, budget) => {
    const ids = new Int32Array(length).fill(100);
    ids[0] = 2;
    ids[length - 1] = 3;
    const m = maskNgrams({ ids, wordStart: new Uint8Array(length).fill(1) }, rngFor(1), OPTS);
    expect(m.budget).toBe(budget);
    expect(m.positions.length).toBe(budget);
  });
});

describe('maskNgrams', () => {
  it('only masks whole words that fit the budget', () => {
    // [CLS] ▁un believ ▁x [SEP]: words {1,2} and {3}; budget max(1, round(0.75)) = 1.
    const ids = Int32Array.from([2, 10, 11, 12, 3]);
    const wordStart = Uint8Array.from([1, 1, 0, 1, 1]);
    for (let seed = 0; seed < 50; seed++) {
      const m = maskNgrams({ ids, wordStart }, rngFor(seed), OPTS);
      expect(m.budget).toBe(1);
      expect([...m.positions]).toEqual([3]);
      expect([...m.labels]).toEqual([12]);
    }
    // Piece-level masking when whole-word masking is off: any one position.
    const seen = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      seen.add(maskNgrams({ ids, wordStart }, rngFor(seed), { ...OPTS, wholeWordMask: false }).positions[0] as number);
    }
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('joins a continuation piece after [SEP] to the word before it, as the original does', () => {
    // [CLS] ▁a [SEP] b [SEP]: "b" continues "▁a" across the [SEP], so the only word is {1, 3}.
    const ids = Int32Array.from([2, 10, 3, 11, 3]);
    const wordStart = Uint8Array.from([1, 1, 1, 0, 1]);
    expect(maskNgrams({ ids, wordStart }, rngFor(3), OPTS).positions.length).toBe(0); // 2 tokens > budget 1
    const m = maskNgrams({ ids, wordStart }, rngFor(3), { ...OPTS, maskedLmProb: 0.5 }); // budget round(2.5) = 2
    expect([...m.positions]).toEqual([1, 3]);
  });

  it('is deterministic per seed, differs across seeds, never touches specials or padding', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 5, max: 29999 }), { minLength: 2, maxLength: 200 }),
        fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
        fc.integer(),
        (body, starts, seed) => {
          const n = body.length + 3;
          const ids = new Int32Array(n + 5); // 5 padding positions
          ids[0] = 2;
          const split = Math.max(1, body.length >> 1);
          ids.set(body.slice(0, split), 1);
          ids[split + 1] = 3;
          ids.set(body.slice(split), split + 2);
          ids[n - 1] = 3;
          const wordStart = Uint8Array.from({ length: n + 5 }, (_, i) => (starts[i % 200] ? 1 : 0));
          const input = { ids, wordStart, length: n };
          const a = maskNgrams(input, rngFor(seed), OPTS);
          const b = maskNgrams(input, rngFor(seed), OPTS);
          expect(a).toEqual(b);
          expect(a.positions.length).toBeLessThanOrEqual(a.budget);
          for (let k = 0; k < a.positions.length; k++) {
            const p = a.positions[k] as number;
            expect(p).toBeLessThan(n);
            expect([0, 2, 3]).not.toContain(ids[p]);
            expect(a.labels[k]).toBe(ids[p]);
            if (a.decisions[k] === MaskDecision.mask) expect(a.inputIds[p]).toBe(4);
            if (a.decisions[k] === MaskDecision.keep) expect(a.inputIds[p]).toBe(ids[p]);
            if (k > 0) expect(p).toBeGreaterThan(a.positions[k - 1] as number);
          }
          // Whole words: if a position is masked, so is the rest of its word.
          for (let k = 0; k < a.positions.length; k++) {
            const p = a.positions[k] as number;
            let q = p + 1;
            while (q < n && (ids[q] === 3 || wordStart[q] === 0)) {
              if (ids[q] !== 3) expect(a.positions).toContain(q);
              q++;
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives different masks for different seeds', () => {
    const ids = Int32Array.from({ length: 128 }, (_, i) => (i === 0 ? 2 : i === 127 ? 3 : 100 + i));
    const wordStart = new Uint8Array(128).fill(1);
    const masks = new Set<string>();
    for (let seed = 0; seed < 20; seed++)
      masks.add(maskNgrams({ ids, wordStart }, rngFor(seed), OPTS).positions.join(','));
    expect(masks.size).toBe(20);
  });

  it('writes -100 labels outside the masked positions', () => {
    const ids = Int32Array.from([2, 10, 11, 12, 3]);
    const m = maskNgrams({ ids, wordStart: Uint8Array.from([1, 1, 0, 1, 1]) }, rngFor(0), OPTS);
    expect([...mlmLabels(m, 7)]).toEqual([-100, -100, -100, 12, -100, -100, -100]);
  });
});
