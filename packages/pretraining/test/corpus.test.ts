import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { itWith } from '../../../test-utils/requirements.js';
import { batchToTensors, type PretrainingBatch } from '../src/corpus/batch.js';
import { type CorpusOptions, PretrainingCorpus } from '../src/corpus/corpus.js';
import { readLines } from '../src/corpus/line-reader.js';
import { ALBERT, fixtureTokenizer, SLICE_TEXT, sliceDocuments } from './gutenberg-fixture.js';
import { originalCounts, pythonForReference } from './reference/original-counts.js';

const file = fileURLToPath(SLICE_TEXT);
const tokenize = fixtureTokenizer();

function options(overrides: Partial<CorpusOptions> = {}): CorpusOptions {
  return {
    files: [file],
    tokenize,
    seed: 42,
    batchSize: 16,
    maxSeqLength: 128,
    shuffleBufferSize: 200,
    clsId: ALBERT.cls,
    sepId: ALBERT.sep,
    maskTokenId: ALBERT.mask,
    padId: ALBERT.pad,
    vocabSize: ALBERT.vocabSize,
    ...overrides,
  };
}

async function collect(corpus: PretrainingCorpus, limit = Number.POSITIVE_INFINITY): Promise<PretrainingBatch[]> {
  const out: PretrainingBatch[] = [];
  for await (const b of corpus.batches()) {
    out.push(b);
    if (out.length >= limit) break;
  }
  return out;
}

describe('readLines', () => {
  it('reads lines across buffer boundaries, strips \\r, and resumes from any offset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'albert-lines-'));
    try {
      const path = join(dir, 'a.txt');
      await writeFile(path, 'first line\r\nsécond\n\nthird is a longer line than the buffer\nlast');
      const lines = [];
      for await (const l of readLines(path, 0, 7)) lines.push(l);
      expect(lines.map((l) => l.text)).toEqual([
        'first line',
        'sécond',
        '',
        'third is a longer line than the buffer',
        'last',
      ]);
      const resumed = [];
      for await (const l of readLines(path, lines[1]?.next ?? 0, 5)) resumed.push(l.text);
      expect(resumed).toEqual(['', 'third is a longer line than the buffer', 'last']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('PretrainingCorpus', () => {
  it('streams padded batches with labels only at masked positions', async () => {
    const batches = await collect(new PretrainingCorpus(options()));
    const total = batches.reduce((n, b) => n + b.batchSize, 0);
    expect(batches.slice(0, -1).every((b) => b.batchSize === 16)).toBe(true);
    let masked = 0;
    let real = 0;
    let ones = 0;
    for (const b of batches) {
      expect(b.seqLength).toBe(128);
      expect(b.inputIds.length).toBe(b.batchSize * 128);
      for (let r = 0; r < b.batchSize; r++) {
        const row = r * 128;
        const n = b.attentionMask.subarray(row, row + 128).reduce((a, x) => a + x, 0);
        expect(b.inputIds[row]).toBe(ALBERT.cls);
        expect(b.inputIds[row + n - 1]).toBe(ALBERT.sep);
        for (let i = n; i < 128; i++) {
          if (b.inputIds[row + i] !== ALBERT.pad || b.labels[row + i] !== -100 || b.tokenTypeIds[row + i] !== 0) {
            throw new Error(`padding wrong at row ${r} position ${i}`);
          }
        }
        for (let i = 0; i < n; i++) {
          const label = b.labels[row + i] as number;
          if (label !== -100) {
            masked++;
            expect(label).not.toBe(ALBERT.cls);
            expect(label).not.toBe(ALBERT.sep);
          }
        }
        real += n - 3;
        ones += b.sentenceOrderLabel[r] as number;
      }
    }
    expect(Math.abs(masked / real - 0.15)).toBeLessThan(0.01);
    // 'split' mode: every label is a fair coin; within 5 binomial sigma of one half.
    expect(Math.abs(ones / total - 0.5)).toBeLessThanOrEqual(5 * Math.sqrt(0.25 / total));
  });

  itWith(
    pythonForReference,
    "makes as many examples as the original's chunking gives (one pass, no short targets)",
    async () => {
      // create_pretraining_data.py (original_sop_counts.py re-implements its chunking) with
      // short_seq_prob 0: every chunk of two or more segments and every single segment make one
      // example; in 'split' mode a single segment of one token makes none (it cannot be split).
      const documents = sliceDocuments().map((d) => d.map((s) => s.ids.length));
      const ref = originalCounts({ documents, max_seq_length: 128, short_seq_prob: 0, dupe_factor: 1, seed: 1 });
      const once = ref.per_dupe[0];
      if (once == null) throw new Error('no reference counts');
      const batches = await collect(new PretrainingCorpus(options({ shortSeqProb: 0 })));
      expect(batches.reduce((n, b) => n + b.batchSize, 0)).toBe(once.instances - once.single_one_token);
      expect(once.instances).toBeGreaterThan(300); // the long paragraphs make one example each
    },
  );

  it('same seed ⇒ identical batches; different seed ⇒ different masks', async () => {
    const a = await collect(new PretrainingCorpus(options()), 6);
    const b = await collect(new PretrainingCorpus(options()), 6);
    expect(b).toEqual(a);
    const c = await collect(new PretrainingCorpus(options({ seed: 43 })), 6);
    expect(c.map((x) => x.labels)).not.toEqual(a.map((x) => x.labels));
    // Same documents and order but a different seed: even unshuffled, the masks differ.
    const u1 = await collect(new PretrainingCorpus(options({ shuffleBufferSize: 1 })), 2);
    const u2 = await collect(new PretrainingCorpus(options({ shuffleBufferSize: 1, seed: 7 })), 2);
    expect(u2[0]?.labels).not.toEqual(u1[0]?.labels);
  });

  it('resumes from a saved state with exactly the batches an uninterrupted run gives', async () => {
    const opts = options({ epochs: 2 });
    const full = await collect(new PretrainingCorpus(opts));
    for (const stopAt of [1, 20, full.length - 30]) {
      const first = new PretrainingCorpus(opts);
      const head = await collect(first, stopAt);
      const state = JSON.parse(JSON.stringify(first.getState()));
      expect(state.batchesEmitted).toBe(stopAt);
      const tail = await collect(new PretrainingCorpus(opts, state));
      expect([...head, ...tail]).toEqual(full);
    }
  });

  it('masks dynamically (fresh each epoch) or statically (same examples every epoch)', async () => {
    const rows = (batches: PretrainingBatch[]) => {
      const out: string[] = [];
      for (const b of batches) {
        for (let r = 0; r < b.batchSize; r++) out.push(b.inputIds.subarray(r * 128, (r + 1) * 128).join(','));
      }
      return out;
    };
    const epochRows = async (masking: 'static' | 'dynamic') => {
      const corpus = new PretrainingCorpus(options({ epochs: 2, masking, batchSize: 1 }));
      const all = rows(await collect(corpus));
      return [all.slice(0, all.length / 2), all.slice(all.length / 2)] as const;
    };
    const [s0, s1] = await epochRows('static');
    expect(s1).not.toEqual(s0); // reshuffled …
    expect([...s1].sort()).toEqual([...s0].sort()); // … but the same examples
    const [d0, d1] = await epochRows('dynamic');
    const same = d1.filter((r) => new Set(d0).has(r)).length;
    expect(same / d1.length).toBeLessThan(0.05);
  });

  it('turns a batch into int32 tensors', async () => {
    await initBackend({ prefer: 'cpu' });
    const [batch] = await collect(new PretrainingCorpus(options({ batchSize: 4 })), 1);
    const t = batchToTensors(batch as PretrainingBatch);
    expect(t.inputIds.shape).toEqual([4, 128]);
    expect(t.labels.dtype).toBe('int32');
    expect(t.sentenceOrderLabel.shape).toEqual([4]);
    expect(await t.inputIds.data()).toEqual(batch?.inputIds);
    tf.dispose(t);
  });

  it('rejects bad options and mismatched states with clear errors', () => {
    expect(() => new PretrainingCorpus(options({ files: [] }))).toThrow(/files is empty/);
    expect(() => new PretrainingCorpus(options({ batchSize: 0 }))).toThrow(/batchSize/);
    const state = new PretrainingCorpus(options()).getState();
    expect(() => new PretrainingCorpus(options(), { ...state, fileIndex: 5 })).toThrow(/does not fit/);
  });

  it('reads several files, each ending its last document, and resumes in the second file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'albert-corpus-'));
    try {
      const lines = readFileSync(file, 'utf8').split('\n');
      const a = join(dir, 'a.txt');
      const b = join(dir, 'b.txt');
      await writeFile(a, lines.slice(0, 150).join('\n')); // no trailing blank line: the file end ends the document
      await writeFile(b, lines.slice(150, 400).join('\n'));
      const opts = options({ files: [a, b], batchSize: 4, shuffleBufferSize: 8 });
      const full = await collect(new PretrainingCorpus(opts));
      const first = new PretrainingCorpus(opts);
      const head = await collect(first, Math.floor(full.length * 0.7));
      const state = JSON.parse(JSON.stringify(first.getState()));
      expect(state.fileIndex).toBe(1);
      expect(state.docIndex).toBeGreaterThanOrEqual(1); // the second file started a new document
      const tail = await collect(new PretrainingCorpus(opts, state));
      expect([...head, ...tail]).toEqual(full);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("'random-document' mode: B from another document for long lines, resumable with its pool", async () => {
    const opts = options({ singleSegment: 'random-document', epochs: 2, batchSize: 8 });
    // (test/sop-vs-original.test.ts checks the counts and labels against the original.)
    const full = await collect(new PretrainingCorpus(opts));
    const first = new PretrainingCorpus(opts);
    const head = await collect(first, 60);
    const state = JSON.parse(JSON.stringify(first.getState()));
    expect(state.pool.length).toBeGreaterThan(0);
    expect(state.primed).toBe(true);
    // A state taken before the first example resumes with the read-ahead still to do.
    const fresh = JSON.parse(JSON.stringify(new PretrainingCorpus(opts).getState()));
    expect([fresh.primed, fresh.pool.length]).toEqual([false, 0]);
    expect(await collect(new PretrainingCorpus(opts, fresh))).toEqual(full);
    const tail = await collect(new PretrainingCorpus(opts, state));
    expect([...head, ...tail]).toEqual(full);
  });

  it('names the file and byte offset of a line the tokenizer rejects', async () => {
    const corpus = new PretrainingCorpus(
      options({
        tokenize: (text) => {
          if (text.startsWith('The sea-reach')) throw new Error('bad line');
          return tokenize(text);
        },
      }),
    );
    await expect(collect(corpus)).rejects.toThrow(/byte 285 of .*gutenberg-valid-slice\.txt failed: bad line/);
  });
});
