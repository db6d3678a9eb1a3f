// Statistics of 10 000 examples generated from the Gutenberg slice, as create_pretraining_data.py
// would make them with its defaults (max_seq_length 128 here; see the README for the budget effects).
import { describe, expect, it } from 'vitest';
import { MaskDecision, maskNgrams, newMaskingStats } from '../src/masking/ngram-masking.js';
import { rngFor, Stream } from '../src/random/seeded-rng.js';
import { SopDocumentBuilder, type SopInstance } from '../src/sop/sop-builder.js';
import { ALBERT, sliceDocuments } from './gutenberg-fixture.js';

const N = 10_000;
const MAX_SEQ = 128;

/**
 * Five binomial standard deviations of a share p estimated from n independent draws:
 * 5·sqrt(p(1-p)/n). A correct sampler lands outside it with probability 6e-7 per check.
 */
function fiveSigma(p: number, n: number): number {
  return 5 * Math.sqrt((p * (1 - p)) / n);
}

function generate(seed: number) {
  const docs = sliceDocuments();
  const stats = newMaskingStats(3);
  const out: { instance: SopInstance; masked: ReturnType<typeof maskNgrams> }[] = [];
  for (let epoch = 0; out.length < N; epoch++) {
    docs.forEach((segments, d) => {
      const builder = new SopDocumentBuilder(
        { clsId: ALBERT.cls, sepId: ALBERT.sep, maxSeqLength: MAX_SEQ },
        rngFor(seed, Stream.document, epoch, d),
      );
      let k = 0;
      const take = (instance: SopInstance | null) => {
        if (instance == null || out.length >= N) return;
        const masked = maskNgrams(
          { ids: instance.ids, wordStart: instance.tokenBoundary },
          rngFor(seed, Stream.mask, epoch, d, k++),
          {
            maskTokenId: ALBERT.mask,
            vocabSize: ALBERT.vocabSize,
            specialIds: [ALBERT.cls, ALBERT.sep, ALBERT.pad],
            recordSpans: true,
            stats,
          },
        );
        out.push({ instance, masked });
      };
      for (const s of segments) take(builder.push(s));
      take(builder.finish());
    });
  }
  return { examples: out, stats };
}

function docs512() {
  const out: { ids: Int32Array; masked: ReturnType<typeof maskNgrams> }[] = [];
  sliceDocuments().forEach((segments, d) => {
    const builder = new SopDocumentBuilder({ clsId: ALBERT.cls, sepId: ALBERT.sep, maxSeqLength: 512 }, rngFor(5, d));
    const take = (instance: SopInstance | null) => {
      if (instance == null) return;
      const masked = maskNgrams({ ids: instance.ids, wordStart: instance.tokenBoundary }, rngFor(5, d, out.length), {
        maskTokenId: ALBERT.mask,
        vocabSize: ALBERT.vocabSize,
        specialIds: [ALBERT.cls, ALBERT.sep, ALBERT.pad],
      });
      out.push({ ids: instance.ids, masked });
    };
    for (const s of segments) take(builder.push(s));
    take(builder.finish());
  });
  return out;
}

describe('10 000 generated examples (Gutenberg slice, seed 12345)', () => {
  const t0 = performance.now();
  const { examples, stats } = generate(12345);
  const ms = performance.now() - t0;

  it('has 10 000 examples, each [CLS] A [SEP] B [SEP] within max_seq_length', () => {
    expect(examples.length).toBe(N);
    // Count violations and assert once (a million `expect`s would take half a minute).
    let bad = 0;
    for (const { instance } of examples) {
      const n = instance.ids.length;
      const seps = [...instance.ids].flatMap((id, i) => (id === ALBERT.sep ? [i] : []));
      const firstSep = seps[0] ?? -1;
      if (n > MAX_SEQ || instance.ids[0] !== ALBERT.cls || instance.ids[n - 1] !== ALBERT.sep || seps.length !== 2)
        bad++;
      else if (firstSep < 2 || n - 1 - firstSep < 2)
        bad++; // A and B non-empty
      else for (let i = 0; i < n; i++) if (instance.tokenTypeIds[i] !== (i <= firstSep ? 0 : 1)) bad++;
    }
    expect(bad).toBe(0);
    console.log(`generated ${N} examples in ${ms.toFixed(0)} ms`);
  });

  it('masks 0.15 ± 0.01 of the non-special tokens', () => {
    let masked = 0;
    let tokens = 0;
    let atCap = 0;
    for (const { instance, masked: m } of examples) {
      masked += m.positions.length;
      tokens += instance.ids.length - 3;
      if (m.budget === 20) atCap++;
    }
    const fraction = masked / tokens;
    console.log(
      `masked fraction ${fraction.toFixed(4)} (${masked}/${tokens}); budget at the cap of 20 in ${atCap} examples`,
    );
    expect(Math.abs(fraction - 0.15)).toBeLessThanOrEqual(0.01);
  });

  it('never masks [CLS]/[SEP], and every label is the original id at its position', () => {
    let overBudget = 0;
    let maskedSpecials = 0;
    let wrongLabels = 0;
    let touchedUnmasked = 0;
    let labels = 0;
    for (const { instance, masked } of examples) {
      if (masked.positions.length > masked.budget || masked.budget > 20) overBudget++;
      for (let k = 0; k < masked.positions.length; k++) {
        const pos = masked.positions[k] as number;
        const original = instance.ids[pos];
        if (original === ALBERT.cls || original === ALBERT.sep) maskedSpecials++;
        if (masked.labels[k] !== original) wrongLabels++;
        labels++;
      }
      const isMasked = new Set(masked.positions);
      for (let i = 0; i < instance.ids.length; i++) {
        if (!isMasked.has(i) && masked.inputIds[i] !== instance.ids[i]) touchedUnmasked++;
      }
    }
    expect(labels).toBeGreaterThan(100_000);
    expect({ overBudget, maskedSpecials, wrongLabels, touchedUnmasked }).toEqual({
      overBudget: 0,
      maskedSpecials: 0,
      wrongLabels: 0,
      touchedUnmasked: 0,
    });
  });

  it('replaces 80% with [MASK], 10% with a random id, keeps 10% (within 5σ, each decision independent)', () => {
    const counts = [0, 0, 0];
    let inconsistent = 0;
    for (const { instance, masked } of examples) {
      for (let k = 0; k < masked.positions.length; k++) {
        const d = masked.decisions[k] as number;
        (counts[d] as number)++;
        const pos = masked.positions[k] as number;
        if (d === MaskDecision.mask && masked.inputIds[pos] !== ALBERT.mask) inconsistent++;
        if (d === MaskDecision.keep && masked.inputIds[pos] !== instance.ids[pos]) inconsistent++;
      }
    }
    expect(inconsistent).toBe(0);
    const total = counts.reduce((a, b) => a + b, 0);
    const [mask, random, keep] = counts.map((c) => c / total) as [number, number, number];
    console.log(`decisions: mask ${mask.toFixed(4)} random ${random.toFixed(4)} keep ${keep.toFixed(4)} of ${total}`);
    // ~186k decisions: σ(0.8) ≈ 0.0009, σ(0.1) ≈ 0.0007.
    expect(total).toBeGreaterThan(100_000);
    expect(Math.abs(mask - 0.8)).toBeLessThanOrEqual(fiveSigma(0.8, total));
    expect(Math.abs(random - 0.1)).toBeLessThanOrEqual(fiveSigma(0.1, total));
    expect(Math.abs(keep - 0.1)).toBeLessThanOrEqual(fiveSigma(0.1, total));
  });

  it('draws n-gram lengths 6/11, 3/11, 2/11 (within 5σ) and documents what the budget does to them', () => {
    const share = (h: number[]) => {
      const t = h.reduce((a, b) => a + b, 0);
      return h.map((c) => c / t);
    };
    const drawn = share(stats.drawn);
    const accepted = share(stats.acceptedWords);
    const asDrawn = share(stats.acceptedAsDrawn);
    const totalDraws = stats.drawn.reduce((a, b) => a + b, 0);
    console.log(
      `n-gram draws ${totalDraws}: ${drawn.map((p) => p.toFixed(4)).join(' / ')}; ` +
        `cut at end ${stats.cutAtEnd}, shrunk ${stats.shrunk}, skipped (budget) ${stats.skippedBudget}, skipped (covered) ${stats.skippedCovered}; ` +
        `accepted spans by words ${accepted.map((p) => p.toFixed(4)).join(' / ')}; accepted as drawn ${asDrawn.map((p) => p.toFixed(4)).join(' / ')}`,
    );
    const expected = [6 / 11, 3 / 11, 2 / 11];
    // ~117k independent draws: σ(6/11) ≈ 0.0015, σ(2/11) ≈ 0.0011.
    expect(totalDraws).toBeGreaterThan(100_000);
    for (let i = 0; i < 3; i++)
      expect(Math.abs((drawn[i] as number) - (expected[i] as number))).toBeLessThanOrEqual(
        fiveSigma(expected[i] as number, totalDraws),
      );
    // The accepted spans are shorter than drawn: near the end of a sequence an n-gram has fewer than
    // n words left (cut), a span too long for the budget left is shrunk, and a longer span is more
    // likely to overlap an accepted one (skipped). All three push toward 1-grams: more 1-grams
    // and fewer 3-grams than drawn, far beyond sampling noise, the order 1 > 2 > 3 kept.
    const acceptedTotal = stats.acceptedWords.reduce((a, b) => a + b, 0);
    const shift = accepted.map((p, i) => p - (expected[i] as number));
    expect(shift[0]).toBeGreaterThan(fiveSigma(expected[0] as number, acceptedTotal));
    expect(shift[2]).toBeLessThan(-fiveSigma(expected[2] as number, acceptedTotal));
    expect(stats.cutAtEnd + stats.shrunk + stats.skippedCovered).toBeGreaterThan(0);
    expect(stats.acceptedWords[0]).toBeGreaterThan(stats.acceptedWords[1] as number);
    expect(stats.acceptedWords[1]).toBeGreaterThan(stats.acceptedWords[2] as number);
    // Whole words: a span starts at a word start (or at position 1, where a pair truncated from
    // the front may begin mid-word) and ends right before a word start, [SEP] or the end.
    let notWhole = 0;
    for (const { instance, masked } of examples) {
      for (const span of masked.spans ?? []) {
        if (span.start !== 1 && instance.tokenBoundary[span.start] !== 1) notWhole++;
        if (span.words < 1 || span.words > span.drawn) notWhole++;
        const after = masked.positions.indexOf(span.start) + span.tokens;
        const last = masked.positions[after - 1] as number;
        const next = last + 1;
        if (next < instance.ids.length && instance.tokenBoundary[next] !== 1) notWhole++;
      }
    }
    expect(notWhole).toBe(0);
  });

  it('with the budget effects removed, accepted spans follow 6/11, 3/11, 2/11 (within 5σ)', () => {
    // Long sequences (20 000 tokens), a 1% masking rate and no cap (budget 200): spans are rarely cut,
    // shrunk or overlapping, so what is accepted is what was drawn. Real word boundaries from the slice.
    const docs = sliceDocuments();
    const flat = docs.flat();
    const free = newMaskingStats(3);
    let offset = 0;
    for (let seq = 0; seq < 150; seq++) {
      const ids = new Int32Array(20_000);
      const wordStart = new Uint8Array(20_000);
      for (let i = 0; i < 20_000; ) {
        const s = flat[offset++ % flat.length];
        if (s == null) break;
        const n = Math.min(s.ids.length, 20_000 - i);
        ids.set(s.ids.subarray(0, n), i);
        wordStart.set(s.wordStart.subarray(0, n), i);
        i += n;
      }
      maskNgrams({ ids, wordStart }, rngFor(99, seq), {
        maskTokenId: ALBERT.mask,
        vocabSize: ALBERT.vocabSize,
        specialIds: [ALBERT.cls, ALBERT.sep, ALBERT.pad],
        maskedLmProb: 0.01,
        maxPredictionsPerSeq: 1000,
        stats: free,
      });
    }
    const total = free.acceptedWords.reduce((a, b) => a + b, 0);
    const shares = free.acceptedWords.map((c) => c / total);
    console.log(`accepted spans without budget effects (${total}): ${shares.map((p) => p.toFixed(4)).join(' / ')}`);
    expect(total).toBeGreaterThan(10_000);
    const expected = [6 / 11, 3 / 11, 2 / 11];
    for (let i = 0; i < 3; i++)
      expect(Math.abs((shares[i] as number) - (expected[i] as number))).toBeLessThanOrEqual(
        fiveSigma(expected[i] as number, total),
      );
  });

  it('at max_seq_length 512 the cap of 20 predictions binds: 20 / 509 = 3.9% of a full example', () => {
    let full = 0;
    let masked = 0;
    let tokens = 0;
    docs512().forEach(({ ids, masked: m }) => {
      if (ids.length !== 512) return;
      full++;
      expect(m.budget).toBe(20);
      masked += m.positions.length;
      tokens += ids.length - 3;
    });
    console.log(`max_seq_length 512: ${full} full-length examples, masked fraction ${(masked / tokens).toFixed(4)}`);
    expect(full).toBeGreaterThan(100);
    expect(masked / tokens).toBeGreaterThan(0.037);
    expect(masked / tokens).toBeLessThanOrEqual(20 / 509);
  });

  it('balances the sentence-order labels 0.5 (within 5σ)', () => {
    const ones = examples.filter((e) => e.instance.sentenceOrderLabel === 1).length;
    console.log(`SOP label 1 share ${(ones / N).toFixed(4)}`);
    // One coin per pair: σ = sqrt(0.25 / 10 000) = 0.005.
    expect(Math.abs(ones / N - 0.5)).toBeLessThanOrEqual(fiveSigma(0.5, N));
  });
});
