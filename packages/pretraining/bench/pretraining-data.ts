// `pnpm bench pretraining-data [--seq 512,128] [--batch 32] [--buffer 1000] [--limit-mb N] [--tfrecord]`
//
// Streams ../shared/data/gutenberg_en/train.txt (34 MB, 68 books; read from the shared folder when
// present, else the package's 0.4 MB test slice, and the bench says so) through the whole data
// pipeline: AlbertTokenizer (albert-30k.model) → SOP pairs → n-gram masking → 1000-example shuffle
// buffer → padded batches. Reports examples/s, batches/s, input MB/s, the tokenizer's share of the
// time, and the peak RSS of the process (one child process per configuration, so numbers do not mix).
// With --tfrecord the examples are written to a temporary TFRecord file instead of being batched
// (the file is deleted afterwards; its size is reported).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { albertLineTokenizer, type LineTokenizer, PretrainingCorpus, TFRecordWriter } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHARED_TRAIN = join(ROOT, '..', 'shared', 'data', 'gutenberg_en', 'train.txt');
const SLICE = fileURLToPath(new URL('../test/fixtures/gutenberg-valid-slice.txt', import.meta.url));
const MODEL = fileURLToPath(new URL('../test/fixtures/albert-30k.model', import.meta.url));

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Result {
  seq: number;
  batch: number;
  buffer: number;
  corpus: string;
  corpusMB: number;
  examples: number;
  batches: number;
  maskedTokens: number;
  realTokens: number;
  seconds: number;
  examplesPerSec: number;
  mbPerSec: number;
  tokenizerShare: number;
  startRssMB: number;
  peakRssMB: number;
  tfrecordMB?: number;
}

async function child(
  seq: number,
  batch: number,
  buffer: number,
  limitMB: number | null,
  tfrecord: boolean,
): Promise<Result> {
  const file = existsSync(SHARED_TRAIN) ? SHARED_TRAIN : SLICE;
  const tokenizer = await AlbertTokenizer.fromFile(MODEL);
  const base = albertLineTokenizer(tokenizer);
  let tokenizeMs = 0;
  const tokenize: LineTokenizer = (text) => {
    const t = performance.now();
    const out = base(text);
    tokenizeMs += performance.now() - t;
    return out;
  };
  const startRss = process.memoryUsage().rss; // after loading the tokenizer
  let peak = startRss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  const corpus = new PretrainingCorpus({
    files: [file],
    tokenize,
    seed: 12345,
    batchSize: batch,
    maxSeqLength: seq,
    shuffleBufferSize: buffer,
    clsId: tokenizer.clsId,
    sepId: tokenizer.sepId,
    maskTokenId: tokenizer.maskId,
    padId: tokenizer.padId,
    vocabSize: tokenizer.vocabSize,
  });
  const dir = tfrecord ? mkdtempSync(join(tmpdir(), 'albert-bench-')) : null;
  const writer = dir ? await TFRecordWriter.create(join(dir, 'examples.tfrecord')) : null;
  const t0 = performance.now();
  let examples = 0;
  let batches = 0;
  let masked = 0;
  let real = 0;
  const limitBytes = limitMB == null ? Number.POSITIVE_INFINITY : limitMB * 2 ** 20;
  if (writer != null) {
    // Export mode: examples (with token_boundary) straight to the TFRecord file, no batching.
    for await (const e of corpus.examples()) {
      examples++;
      masked += e.maskedPositions.length;
      real += e.inputIds.length;
      await writer.writeExample(e, { maxSeqLength: seq, maxPredictionsPerSeq: 20 });
      if ((examples & 255) === 0) peak = Math.max(peak, process.memoryUsage().rss);
      if (corpus.position.offset > limitBytes) break;
    }
  } else {
    for await (const b of corpus.batches()) {
      batches++;
      examples += b.batchSize;
      for (let i = 0; i < b.labels.length; i++) {
        if (b.labels[i] !== -100) masked++;
        real += b.attentionMask[i] as number;
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      if (corpus.position.offset > limitBytes) {
        examples += corpus.position.buffered; // made, waiting in the shuffle buffer
        break;
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  let tfrecordMB: number | undefined;
  if (writer != null && dir != null) {
    await writer.close();
    tfrecordMB = statSync(join(dir, 'examples.tfrecord')).size / 2 ** 20;
    rmSync(dir, { recursive: true, force: true });
  }
  const readMB = Math.min(statSync(file).size, limitBytes) / 2 ** 20;
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  return {
    seq,
    batch,
    buffer,
    corpus: file === SHARED_TRAIN ? 'gutenberg_en/train.txt' : 'test slice (../shared absent)',
    corpusMB: readMB,
    examples,
    batches,
    maskedTokens: masked,
    realTokens: real,
    seconds,
    examplesPerSec: examples / seconds,
    mbPerSec: readMB / seconds,
    tokenizerShare: tokenizeMs / 1000 / seconds,
    startRssMB: startRss / 2 ** 20,
    peakRssMB: peak / 2 ** 20,
    ...(tfrecordMB != null && { tfrecordMB }),
  };
}

async function main(): Promise<void> {
  const batch = Number(arg('batch') ?? 32);
  const buffer = Number(arg('buffer') ?? 1000);
  const limit = arg('limit-mb');
  const tfrecord = process.argv.includes('--tfrecord');
  if (process.argv.includes('--child')) {
    const result = await child(Number(arg('seq')), batch, buffer, limit == null ? null : Number(limit), tfrecord);
    console.log(`@@RESULT@@${JSON.stringify(result)}`);
    return;
  }
  if (!existsSync(SHARED_TRAIN)) {
    console.log(`${SHARED_TRAIN} not found: benchmarking the 0.4 MB test slice instead of the 34 MB corpus.`);
  }
  const results: Result[] = [];
  for (const seq of (arg('seq') ?? '512,128').split(',').map(Number)) {
    const args = [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--child',
      '--seq',
      String(seq),
      '--batch',
      String(batch),
      '--buffer',
      String(buffer),
    ];
    if (limit != null) args.push('--limit-mb', limit);
    if (tfrecord) args.push('--tfrecord');
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    const line = run.stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'));
    if (line == null) throw new Error(`child for seq ${seq} failed:\n${run.stderr}`);
    results.push(JSON.parse(line.slice('@@RESULT@@'.length)));
  }
  console.log(
    `\nALBERT pretraining data pipeline (AlbertTokenizer → SOP → n-gram masking → shuffle ${buffer} → batches of ${batch})`,
  );
  console.table(
    results.map((r) => ({
      seq: r.seq,
      corpus: `${r.corpus} (${r.corpusMB.toFixed(1)} MB)`,
      examples: r.examples,
      s: r.seconds.toFixed(1),
      'examples/s': Math.round(r.examplesPerSec),
      'MB/s': r.mbPerSec.toFixed(2),
      'tokenizer share': `${(100 * r.tokenizerShare).toFixed(0)}%`,
      'masked/real tokens': (r.maskedTokens / r.realTokens).toFixed(4),
      'RSS at start MB': r.startRssMB.toFixed(0),
      'peak RSS MB': r.peakRssMB.toFixed(0),
      ...(r.tfrecordMB != null && { 'TFRecord MB': r.tfrecordMB.toFixed(1) }),
    })),
  );
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `pretraining-data-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    out,
    `${JSON.stringify({ bench: 'pretraining-data', date: new Date().toISOString(), results }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
}

await main();
