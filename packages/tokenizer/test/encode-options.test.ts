// Truncation (HF slow-tokenizer rules), overflow windows with stride (fast-tokenizer layout),
// padding, batches, special-tokens mask, decode options, and the worker pool.
import { describe, expect, it } from 'vitest';
import { AlbertTokenizerPool, type Encoding, TokenizerInputError } from '../src/index.js';
import { albert, readBytes } from './load.js';

const A = 'The quick brown fox jumps over the lazy dog near the river bank today.';
const B = 'A short second text.';
const ids = (e: Encoding) => [...e.inputIds];

describe('encode options', () => {
  const tok = albert();
  const a = [...tok.encodeSequence(A).ids];
  const b = [...tok.encodeSequence(B).ids];
  const CLS = tok.clsId;
  const SEP = tok.sepId;

  it('builds [CLS] A [SEP] B [SEP] with types, masks and offsets', () => {
    const e = tok.encode(A, B);
    expect(ids(e)).toEqual([CLS, ...a, SEP, ...b, SEP]);
    expect([...e.tokenTypeIds]).toEqual([...Array(a.length + 2).fill(0), ...Array(b.length + 1).fill(1)]);
    expect([...e.specialTokensMask]).toEqual([1, ...Array(a.length).fill(0), 1, ...Array(b.length).fill(0), 1]);
    expect([...e.sequenceIds]).toEqual([-1, ...Array(a.length).fill(0), -1, ...Array(b.length).fill(1), -1]);
    expect([...e.offsets.subarray(0, 2)]).toEqual([0, 0]);
    const lastB = a.length + 2 + b.length - 1;
    expect(B.slice(e.offsets[2 * lastB], e.offsets[2 * lastB + 1])).toBe('.');
    expect(ids(tok.encode(A, null, { addSpecialTokens: false }))).toEqual(a);
  });

  it('longest_first on a pair removes from the longer text first, then alternately (HF slow)', () => {
    // 15 + 5 + 3 = 23 tokens; to 20: the first loses 3
    expect(a.length).toBe(15);
    expect(b.length).toBe(5);
    expect(ids(tok.encode(A, B, { maxLength: 20 }))).toEqual([CLS, ...a.slice(0, 12), SEP, ...b, SEP]);
    // to 10: remove 13 = 10 (the difference) + 3 split 1 (first) / 2 (second)
    expect(ids(tok.encode(A, B, { maxLength: 10, truncation: 'longest_first' }))).toEqual([
      CLS,
      ...a.slice(0, 4),
      SEP,
      ...b.slice(0, 3),
      SEP,
    ]);
  });

  it('only_first / only_second truncate one side and return stride windows', () => {
    const e = tok.encode(A, B, { maxLength: 14, truncation: 'only_first', stride: 2, returnOverflowingTokens: true });
    const budget = 14 - 3 - b.length; // 6 tokens of A per window
    expect(ids(e)).toEqual([CLS, ...a.slice(0, budget), SEP, ...b, SEP]);
    const windows = [e, ...e.overflow].map((w) => ids(w).slice(1, ids(w).indexOf(SEP)));
    expect(windows).toEqual([a.slice(0, 6), a.slice(4, 10), a.slice(8, 14), a.slice(12, 15)]);
    const q = tok.encode(B, A, { maxLength: 12, truncation: 'only_second', stride: 1, returnOverflowingTokens: true });
    const ctx = [q, ...q.overflow].map((w) => ids(w).slice(b.length + 2, -1));
    expect(ctx).toEqual([a.slice(0, 4), a.slice(3, 7), a.slice(6, 10), a.slice(9, 13), a.slice(12, 15)]);
    for (const w of [q, ...q.overflow]) expect(w.inputIds.length).toBeLessThanOrEqual(12);
    // window offsets still point into the second text
    const w1 = q.overflow[0] as Encoding;
    const k = b.length + 2;
    expect(A.slice(w1.offsets[2 * k], w1.offsets[2 * k + 1])).toBe(
      A.slice(q.offsets[2 * (k + 3)], q.offsets[2 * (k + 3) + 1]),
    );
  });

  it('single text: maxLength truncates (longest_first by default) with windows', () => {
    const e = tok.encode(A, null, { maxLength: 8, stride: 3, returnOverflowingTokens: true });
    expect(ids(e)).toEqual([CLS, ...a.slice(0, 6), SEP]);
    // windows start every 6 - 3 tokens and stop at the one that reaches the end
    expect(e.overflow.map((w) => ids(w).slice(1, -1))).toEqual([a.slice(3, 9), a.slice(6, 12), a.slice(9, 15)]);
    expect(ids(tok.encode(A, null, { maxLength: 8, truncation: false }))).toEqual([CLS, ...a, SEP]);
  });

  it('truncates on the left when asked, windows moving left', () => {
    expect(ids(tok.encode(A, B, { maxLength: 20, truncationSide: 'left' }))).toEqual([
      CLS,
      ...a.slice(3),
      SEP,
      ...b,
      SEP,
    ]);
    expect(ids(tok.encode(A, B, { maxLength: 10, truncationSide: 'left' }))).toEqual([
      CLS,
      ...a.slice(11),
      SEP,
      ...b.slice(2),
      SEP,
    ]);
    const e = tok.encode(A, null, { maxLength: 8, stride: 3, returnOverflowingTokens: true, truncationSide: 'left' });
    expect(ids(e)).toEqual([CLS, ...a.slice(9), SEP]);
    // mirror of the right side: windows end every 6 - 3 tokens earlier, the last one starts at 0
    expect(e.overflow.map((w) => ids(w).slice(1, -1))).toEqual([a.slice(6, 12), a.slice(3, 9), a.slice(0, 6)]);
    expect(() => tok.encode(A, null, { maxLength: 8, truncationSide: 'middle' as never })).toThrow(/truncationSide/);
  });

  it('pads right and left, to the longest or to max_length, to a multiple', () => {
    const [x, y] = tok.encodeBatch([A, B], { padding: true });
    expect(x?.inputIds.length).toBe(17);
    expect(ids(y as Encoding)).toEqual([CLS, ...b, SEP, ...Array(10).fill(tok.padId)]);
    expect([...(y as Encoding).attentionMask]).toEqual([...Array(7).fill(1), ...Array(10).fill(0)]);
    expect([...(y as Encoding).specialTokensMask]).toEqual([1, 0, 0, 0, 0, 0, 1, ...Array(10).fill(1)]);
    const left = tok.encode(B, null, { padding: 'max_length', maxLength: 10, paddingSide: 'left' });
    expect(ids(left)).toEqual([0, 0, 0, CLS, ...b, SEP]);
    expect([...left.offsets.subarray(0, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(tok.encode(B, null, { padding: 'max_length', maxLength: 10, padToMultipleOf: 8 }).inputIds.length).toBe(16);
    expect(tok.encodeBatch([B], { padding: 'longest', padToMultipleOf: 4 })[0]?.inputIds.length).toBe(8);
  });

  it('rejects impossible requests with TokenizerInputError', () => {
    expect(() => tok.encode(A, B, { maxLength: 5, truncation: 'only_first' })).toThrow(TokenizerInputError);
    expect(() => tok.encode(A, null, { maxLength: 8, stride: 6, returnOverflowingTokens: true })).toThrow(/stride/);
    expect(() => tok.encode(A, null, { padding: 'max_length' })).toThrow(/maxLength/);
    expect(() => tok.encode(A, null, { truncation: 'middle' as never, maxLength: 4 })).toThrow(/truncation/);
    expect(() => tok.decode([30000])).toThrow(/out of range/);
  });

  it('decodes with and without special tokens and clean-up', () => {
    const e = tok.encode("I don't know , really .", 'Yes !');
    expect(tok.decode(e.inputIds)).toBe("[CLS] i don't know, really.[SEP] yes![SEP]");
    expect(tok.decode(e.inputIds, { skipSpecialTokens: true })).toBe("i don't know, really. yes!");
    expect(tok.decode(e.inputIds, { skipSpecialTokens: true, cleanUpTokenizationSpaces: false })).toBe(
      "i don't know , really . yes !",
    );
  });
});

describe('AlbertTokenizerPool', () => {
  it('can let the calling thread take chunks too', async () => {
    const pool = await AlbertTokenizerPool.create(readBytes('albert-30k.model'), {
      workers: 1,
      mainThread: true,
      chunkChars: 50,
    });
    try {
      const texts = Array.from({ length: 30 }, (_, i) => `${A} number ${i}`);
      const got = await pool.encodeBatch(texts, { padding: true });
      expect(got.map((e) => [ids(e), [...e.offsets]])).toEqual(
        albert()
          .encodeBatch(texts, { padding: true })
          .map((e) => [ids(e), [...e.offsets]]),
      );
    } finally {
      await pool.close();
    }
  });

  it('backs AlbertTokenizer.encodeBatchParallel', async () => {
    const tok = albert();
    try {
      const got = await tok.encodeBatchParallel([A, B, [B, A]], { padding: true }, { workers: 1 });
      expect(got.map(ids)).toEqual(tok.encodeBatch([A, B, [B, A]], { padding: true }).map(ids));
    } finally {
      await tok.closeWorkers();
    }
  });

  it('gives the same encodings as encodeBatch, across 2 worker threads', async () => {
    const pool = await AlbertTokenizerPool.create(readBytes('albert-30k.model'), { workers: 2, chunkChars: 200 });
    try {
      const texts: [string, string][] = Array.from({ length: 40 }, (_, i) => [
        `Question ${i}: what is ${i * 7}?`,
        `${A} ${i}`,
      ]);
      const options = {
        maxLength: 16,
        truncation: 'only_second' as const,
        stride: 2,
        returnOverflowingTokens: true,
        padding: true,
      };
      const got = await pool.encodeBatch(texts, options);
      const want = albert().encodeBatch(texts, options);
      expect(got.length).toBe(40);
      const flat = (es: Encoding[]) =>
        es.map((e) => [ids(e), [...e.offsets], [...e.attentionMask], e.overflow.map((o) => [ids(o), [...o.offsets]])]);
      expect(flat(got)).toEqual(flat(want));
      await expect(pool.encodeBatch([['x', 'y']], { maxLength: 2, truncation: 'only_first' })).rejects.toThrow(
        TokenizerInputError,
      );
      // without overflow windows the workers send packed chunks
      const plain = texts.map((t) => t[1]);
      const packed = await pool.encodeBatch(plain, { padding: 'max_length', maxLength: 24 });
      expect(flat(packed)).toEqual(flat(albert().encodeBatch(plain, { padding: 'max_length', maxLength: 24 })));
      expect([...(packed[3] as Encoding).sequenceIds].slice(0, 3)).toEqual([-1, 0, 0]);
      const truncated = { maxLength: 16, truncation: 'only_second' as const, padding: true };
      expect(flat(await pool.encodeBatch(texts, truncated))).toEqual(flat(albert().encodeBatch(texts, truncated)));
    } finally {
      await pool.close();
    }
  });
});

describe('encodeTokens (already tokenized sequences)', () => {
  const tok = albert();
  const Q = 'Who jumps over the lazy dog near the river bank?';
  const C = `${A} ${A} ${A} ${A}`;

  it('gives what encode gives for the same texts: pairs, windows, padding', () => {
    const options = {
      maxLength: 32,
      truncation: 'only_second',
      stride: 8,
      returnOverflowingTokens: true,
      padding: 'max_length',
    } as const;
    const byText = tok.encode(Q, C, options);
    const byTokens = tok.encodeTokens(tok.encodeSequence(Q), tok.encodeSequence(C), options);
    expect(byTokens.overflow.length).toBe(byText.overflow.length);
    expect(byText.overflow.length).toBeGreaterThan(1);
    for (const [x, y] of [[byText, byTokens], ...byText.overflow.map((o, i) => [o, byTokens.overflow[i]])]) {
      expect(ids(y as Encoding)).toEqual(ids(x as Encoding));
      expect([...(y as Encoding).offsets]).toEqual([...(x as Encoding).offsets]);
      expect([...(y as Encoding).sequenceIds]).toEqual([...(x as Encoding).sequenceIds]);
    }
    expect(ids(tok.encodeTokens(tok.encodeSequence(A)))).toEqual(ids(tok.encode(A)));
  });

  it('takes a sequence cut by the caller (a question kept to its first 4 tokens)', () => {
    const q = tok.encodeSequence(Q);
    const cut = { ids: q.ids.subarray(0, 4), starts: q.starts.subarray(0, 4), ends: q.ends.subarray(0, 4) };
    const e = tok.encodeTokens(cut, tok.encodeSequence(B));
    expect(ids(e)).toEqual([tok.clsId, ...q.ids.subarray(0, 4), tok.sepId, ...tok.encodeSequence(B).ids, tok.sepId]);
    expect(() => tok.encodeTokens({ ids: q.ids, starts: q.starts.subarray(1), ends: q.ends })).toThrow(
      TokenizerInputError,
    );
  });
});
