import { describe, expect, it } from 'vitest';
import { rngFor, rngFromState } from '../random/seeded-rng.js';
import { type Segment, SopDocumentBuilder, type SopInstance } from './sop-builder.js';
import { truncatePair } from './truncate-pair.js';

// A document whose token ids are 100, 101, 102, … in reading order, so order is visible.
function document(lengths: number[]): Segment[] {
  let next = 100;
  return lengths.map((n) => {
    const ids = Int32Array.from({ length: n }, () => next++);
    return { ids, wordStart: new Uint8Array(n).fill(1) };
  });
}

function build(segments: Segment[], seed: number, maxSeqLength = 32, shortSeqProb = 0.1): SopInstance[] {
  const builder = new SopDocumentBuilder({ clsId: 2, sepId: 3, maxSeqLength, shortSeqProb }, rngFor(seed));
  const out: SopInstance[] = [];
  for (const s of segments) {
    const i = builder.push(s);
    if (i) out.push(i);
  }
  const last = builder.finish();
  if (last) out.push(last);
  return out;
}

function parts(inst: SopInstance): { a: number[]; b: number[] } {
  const ids = [...inst.ids];
  const sep = ids.indexOf(3);
  return { a: ids.slice(1, sep), b: ids.slice(sep + 1, -1) };
}

const isRun = (xs: number[]) => xs.every((x, i) => i === 0 || x === (xs[i - 1] as number) + 1);

describe('SopDocumentBuilder', () => {
  it('builds [CLS] A [SEP] B [SEP] from consecutive text, swapped exactly when the label is 1', () => {
    let ones = 0;
    let total = 0;
    for (let seed = 0; seed < 200; seed++) {
      for (const inst of build(document([5, 7, 3, 9, 4, 6, 8, 2, 5, 7, 3, 6]), seed)) {
        const { a, b } = parts(inst);
        expect(inst.ids[0]).toBe(2);
        expect(inst.ids.at(-1)).toBe(3);
        expect(inst.ids.length).toBeLessThanOrEqual(32);
        expect(a.length).toBeGreaterThan(0);
        expect(b.length).toBeGreaterThan(0);
        expect(isRun(a) && isRun(b)).toBe(true); // each side is contiguous text (truncation only trims ends)
        const [first, second] = inst.sentenceOrderLabel === 0 ? [a, b] : [b, a];
        expect((first.at(-1) as number) < (second[0] as number)).toBe(true);
        expect([...inst.tokenTypeIds]).toEqual([...Array(a.length + 2).fill(0), ...Array(b.length + 1).fill(1)]);
        expect(inst.tokenBoundary[0]).toBe(1);
        ones += inst.sentenceOrderLabel;
        total++;
      }
    }
    expect(Math.abs(ones / total - 0.5)).toBeLessThan(0.05);
  });

  it('fills to max_seq_length - 3 and truncates the longer side', () => {
    // Two segments of 20 with max 32: 29 tokens remain, split 15/14 (the longer side is cut first).
    for (let seed = 0; seed < 20; seed++) {
      const [inst] = build(document([20, 20]), seed, 32, 0);
      const { a, b } = parts(inst as SopInstance);
      expect(a.length + b.length).toBe(29);
      expect(Math.abs(a.length - b.length)).toBeLessThanOrEqual(1);
    }
  });

  it('splits a single long segment at a random token (documented deviation: no random-document B)', () => {
    const splits = new Set<number>();
    for (let seed = 0; seed < 100; seed++) {
      const [inst] = build(document([20]), seed, 64, 0);
      const { a, b } = parts(inst as SopInstance);
      expect(a.length + b.length).toBe(20);
      splits.add(inst?.sentenceOrderLabel === 0 ? a.length : b.length);
    }
    expect(splits.size).toBeGreaterThan(10);
    expect(build(document([1]), 0)).toEqual([]); // one token cannot make a pair
  });

  it("takes B from another document for a single long segment in 'random-document' mode (the original)", () => {
    const other = document([3, 4, 5, 6]).map((seg) => ({ ...seg, ids: seg.ids.map((x) => x + 1000) }));
    const starts = new Set<number>();
    for (let seed = 0; seed < 100; seed++) {
      const builder = new SopDocumentBuilder(
        {
          clsId: 2,
          sepId: 3,
          maxSeqLength: 32,
          shortSeqProb: 0,
          singleSegment: 'random-document',
          randomDocument: () => other,
        },
        rngFor(seed),
      );
      const inst = (builder.push(document([20])[0] as Segment) ?? builder.finish()) as SopInstance;
      const { a, b } = parts(inst);
      expect(inst.sentenceOrderLabel).toBe(1);
      expect(a.every((x) => x < 1000)).toBe(true); // A: this document, in front
      expect(b.every((x) => x >= 1000)).toBe(true); // B: the other document
      expect(isRun(b)).toBe(true);
      expect(a.length + b.length).toBeLessThanOrEqual(29);
      starts.add(b[0] as number);
    }
    expect(starts.size).toBeGreaterThan(1); // B starts at a random segment (or is trimmed at its front)
    // No other document known yet: falls back to the split.
    const lonely = new SopDocumentBuilder(
      { clsId: 2, sepId: 3, maxSeqLength: 32, singleSegment: 'random-document', randomDocument: () => null },
      rngFor(1),
    );
    const inst = lonely.push(document([40])[0] as Segment) as SopInstance;
    expect(
      parts(inst)
        .a.concat(parts(inst).b)
        .every((x) => x < 1000),
    ).toBe(true);
    expect(() => new SopDocumentBuilder({ clsId: 2, sepId: 3, singleSegment: 'random-document' }, rngFor(1))).toThrow(
      /randomDocument supplier/,
    );
  });

  it('draws a short target with probability short_seq_prob, once per document', () => {
    let short = 0;
    for (let seed = 0; seed < 2000; seed++) {
      const b = new SopDocumentBuilder({ clsId: 2, sepId: 3, maxSeqLength: 128 }, rngFor(seed));
      if (b.targetLength < 125) short++;
      expect(b.targetLength).toBeGreaterThanOrEqual(2);
    }
    expect(Math.abs(short / 2000 - 0.1)).toBeLessThan(0.025);
  });

  it('resumes from its state with identical output', () => {
    const segs = document([5, 7, 3, 9, 4, 6, 8, 2, 5, 7, 3, 6, 9, 9, 9]);
    const full = build(segs, 7);
    const builder = new SopDocumentBuilder({ clsId: 2, sepId: 3, maxSeqLength: 32 }, rngFor(7));
    const out: SopInstance[] = [];
    for (const s of segs.slice(0, 6)) {
      const i = builder.push(s);
      if (i) out.push(i);
    }
    const state = JSON.parse(JSON.stringify(builder.getState()));
    const resumed = new SopDocumentBuilder({ clsId: 2, sepId: 3, maxSeqLength: 32 }, rngFromState(state.rng), state);
    for (const s of segs.slice(6)) {
      const i = resumed.push(s);
      if (i) out.push(i);
    }
    const last = resumed.finish();
    if (last) out.push(last);
    expect(out).toEqual(full);
  });
});

describe('truncatePair', () => {
  it('cuts the longer side (B on ties) from either end until the pair fits', () => {
    const a = { start: 0, end: 10 };
    const b = { start: 10, end: 14 };
    truncatePair(a, b, 8, rngFor(1));
    expect(a.end - a.start).toBe(4);
    expect(b).toEqual({ start: 10, end: 14 });
    const c = { start: 0, end: 3 };
    const d = { start: 3, end: 6 };
    truncatePair(c, d, 5, rngFor(1));
    expect(c).toEqual({ start: 0, end: 3 });
    expect(d.end - d.start).toBe(2);
  });
});
