// singleSegment 'random-document' against google-research/albert's create_pretraining_data.py:
// the number of instances, which documents borrow segment B from another document (every chunk of
// one segment, in every epoch: the first document of an epoch too), where B comes from (uniform
// over the other documents, earlier and later ones alike) and the SOP label balance. Expected
// values come from original_sop_counts.py (an independent Python re-implementation of the
// original's documented logic, counting only), never from this package's output.
//
// The corpus is synthetic so that every token says where it came from: token k of document d has
// id 100 + 1000 d + k. So B's document, and whether A and B are in order, read off the ids.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rngFor } from '@albert-ts/common';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeWith, itWith } from '../../../test-utils/requirements.js';
import { PretrainingCorpus } from '../src/corpus/corpus.js';
import type { PretrainingExample } from '../src/corpus/example.js';
import { randomFloat, randomInt } from '../src/random/seeded-rng.js';
import { meanSd, originalCounts, pythonForReference } from './reference/original-counts.js';

const DOCS = 30;
const MAX_SEQ = 64; // max_num_tokens 61
const CLS = 2;
const SEP = 3;

/** Segment lengths per document: 1-6 lines, a quarter of them longer than the target (62-90 tokens). */
function corpusLengths(): number[][] {
  const rng = rngFor(20261206);
  return Array.from({ length: DOCS }, () =>
    Array.from({ length: randomInt(rng, 1, 6) }, () =>
      randomFloat(rng) < 0.25 ? randomInt(rng, 62, 90) : randomInt(rng, 1, 25),
    ),
  );
}

const docOf = (id: number) => Math.floor((id - 100) / 1000);

interface Seen {
  docA: number;
  docB: number;
  label: 0 | 1;
  /** Every id of A precedes every id of B in the document. */
  inOrder: boolean;
  /** A and B are each one run of consecutive tokens of their document. */
  contiguous: boolean;
}

/** The unmasked ids of an example, split into A and B at the token types. */
function read(e: PretrainingExample): Seen {
  const ids = Int32Array.from(e.inputIds);
  e.maskedPositions.forEach((p, i) => {
    ids[p] = e.maskedIds[i] as number;
  });
  const n = ids.length;
  expect([ids[0], ids[n - 1]]).toEqual([CLS, SEP]);
  const sep = e.tokenTypeIds.indexOf(1) - 1;
  expect(ids[sep]).toBe(SEP);
  const a = [...ids.subarray(1, sep)];
  const b = [...ids.subarray(sep + 1, n - 1)];
  expect(a.length).toBeGreaterThan(0);
  expect(b.length).toBeGreaterThan(0);
  const docA = docOf(a[0] as number);
  const docB = docOf(b[0] as number);
  expect(a.every((id) => docOf(id) === docA)).toBe(true);
  expect(b.every((id) => docOf(id) === docB)).toBe(true);
  const run = (xs: number[]) => xs.every((id, i) => i === 0 || id === (xs[i - 1] as number) + 1);
  return {
    docA,
    docB,
    label: e.sentenceOrderLabel,
    inOrder: Math.max(...a) < Math.min(...b),
    contiguous: run(a) && run(b),
  };
}

let dir: string;
let file: string;
const lengths = corpusLengths();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'albert-sop-original-'));
  file = join(dir, 'corpus.txt');
  const text = lengths
    .map((doc, d) => {
      let k = 0;
      return doc.map((len) => Array.from({ length: len }, () => 100 + 1000 * d + k++).join(' ')).join('\n');
    })
    .join('\n\n');
  await writeFile(file, `${text}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(epochs: number, shortSeqProb: number): Promise<Seen[]> {
  const corpus = new PretrainingCorpus({
    files: [file],
    tokenize: (line) => {
      const ids = Int32Array.from(line.split(' '), Number);
      return { ids, wordStart: new Uint8Array(ids.length).fill(1) };
    },
    seed: 7,
    batchSize: 1,
    maxSeqLength: MAX_SEQ,
    shortSeqProb,
    epochs,
    shuffleBufferSize: 1,
    singleSegment: 'random-document',
    clsId: CLS,
    sepId: SEP,
    maskTokenId: 4,
    padId: 0,
    vocabSize: 100 + 1000 * DOCS,
  });
  const seen: Seen[] = [];
  for await (const e of corpus.examples()) seen.push(read(e));
  return seen;
}

describeWith(pythonForReference, "singleSegment 'random-document' vs create_pretraining_data.py", () => {
  itWith(
    pythonForReference,
    'without short targets: the same instances and borrowers, B uniform over the other documents',
    async () => {
      const EPOCHS = 8;
      const ref = originalCounts({
        documents: lengths,
        max_seq_length: MAX_SEQ,
        short_seq_prob: 0,
        dupe_factor: 1,
        seed: 1,
      });
      const once = ref.per_dupe[0];
      if (once == null) throw new Error('no reference counts');
      const seen = await run(EPOCHS, 0);

      // The targets are all max_num_tokens, so the chunks are fixed: counts compare exactly.
      expect(seen.length).toBe(EPOCHS * once.instances);
      const borrowed = seen.filter((s) => s.docA !== s.docB);
      expect(borrowed.length).toBe(EPOCHS * once.borrowed);
      const byDocument = new Array<number>(DOCS).fill(0);
      for (const s of borrowed) byDocument[s.docA] = (byDocument[s.docA] as number) + 1;
      expect(byDocument).toEqual(ref.borrowed_by_document.map((n) => EPOCHS * n)); // document 0 too
      expect(once.borrowed).toBeGreaterThan(DOCS / 3); // the corpus exercises the path

      // Labels: borrowed B is labelled 1; in-document pairs are 0 exactly when in order. A and B are
      // consecutive text of their documents (truncation cuts ends only).
      expect(seen.every((s) => s.contiguous)).toBe(true);
      expect(borrowed.every((s) => s.label === 1)).toBe(true);
      const own = seen.filter((s) => s.docA === s.docB);
      expect(own.every((s) => s.label === (s.inOrder ? 0 : 1))).toBe(true);
      // Swaps are Binomial(own, 1/2): within 5 sigma = 5 sqrt(own)/2 of own/2.
      const swapped = own.filter((s) => s.label === 1).length;
      expect(Math.abs(swapped - own.length / 2)).toBeLessThanOrEqual((5 * Math.sqrt(own.length)) / 2);

      // B's document is uniform over the D - 1 others (the original draws randint(0, D-1) until it
      // differs): for each document, and for "B comes from a later document", the count lies within
      // 5 sigma of the sum of those Bernoulli probabilities.
      const p = 1 / (DOCS - 1);
      for (let d = 0; d < DOCS; d++) {
        const trials = borrowed.filter((s) => s.docA !== d).length;
        const lent = borrowed.filter((s) => s.docB === d).length;
        expect(Math.abs(lent - trials * p)).toBeLessThanOrEqual(5 * Math.sqrt(trials * p * (1 - p)));
      }
      let mean = 0;
      let variance = 0;
      for (const s of borrowed) {
        const q = (DOCS - 1 - s.docA) / (DOCS - 1);
        mean += q;
        variance += q * (1 - q);
      }
      const later = borrowed.filter((s) => s.docB > s.docA).length;
      expect(Math.abs(later - mean)).toBeLessThanOrEqual(5 * Math.sqrt(variance));
    },
  );

  itWith(
    pythonForReference,
    'with short_seq_prob 0.1: instances, borrowed B and label-1 counts per epoch as the original',
    async () => {
      const EPOCHS = 60;
      const ref = originalCounts({
        documents: lengths,
        max_seq_length: MAX_SEQ,
        short_seq_prob: 0.1,
        dupe_factor: 4000,
        seed: 3,
      });
      const seen = await run(EPOCHS, 0.1);
      const ours = {
        instances: seen.length,
        borrowed: seen.filter((s) => s.docA !== s.docB).length,
        ones: seen.filter((s) => s.label === 1).length,
      };
      // Epochs are independent draws (each has its own targets, splits and swaps), so the sum over
      // EPOCHS lies within 5 sigma = 5 sd sqrt(EPOCHS) of EPOCHS times the original's mean per pass;
      // the reference's own mean over 4000 passes is ~65x tighter than that.
      const checks: [string, number, { mean: number; sd: number }][] = [
        ['instances', ours.instances, meanSd(ref.per_dupe, (d) => d.instances)],
        ['borrowed', ours.borrowed, meanSd(ref.per_dupe, (d) => d.borrowed)],
        ['label 1', ours.ones, meanSd(ref.per_dupe, (d) => d.borrowed + d.swapped)],
      ];
      for (const [what, got, { mean, sd }] of checks) {
        const bound = 5 * sd * Math.sqrt(EPOCHS);
        expect(Math.abs(got - EPOCHS * mean), `${what}: ${got} vs ${EPOCHS * mean} ± ${bound}`).toBeLessThanOrEqual(
          bound,
        );
      }
    },
  );
});
