// One TFRecord shard of pretraining examples: its byte ranges of the corpus → PretrainingCorpus
// (SOP pairs, n-gram masks, shuffle buffer) → TFRecordWriter with create_pretraining_data.py's
// feature names. Runs the same in a worker thread (shard-worker.ts) and in this thread, so a test
// can compare the two.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { threadId } from 'node:worker_threads';
import { deriveSeed, PretrainingCorpus, TFRecordWriter } from '@albert-ts/pretraining';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { CorpusTooSmallError } from '../errors.js';
import { corpusOptions, type ExampleShape } from './corpus-options.js';
import type { FilePart } from './shard-plan.js';

export interface ShardJob {
  index: number;
  count: number;
  parts: FilePart[];
  /** The .tfrecord file to write. */
  output: string;
  /** A folder for the shard's byte ranges copied out of bigger files (removed afterwards). */
  scratch: string;
  /** spiece.model bytes. */
  model: Uint8Array;
  shape: ExampleShape;
  /** Passes over the shard's text, each with fresh SOP splits and masks (the original's --dupe_factor). */
  dupeFactor: number;
}

export interface ShardResult {
  index: number;
  output: string;
  examples: number;
  /** Real (unpadded) tokens, masked predictions, and examples whose segments were swapped. */
  tokens: number;
  masked: number;
  swapped: number;
  inputBytes: number;
  /** The thread that wrote it (0 = the main thread). */
  threadId: number;
}

/** The seed of shard `index`: each shard masks with its own generators, reproducibly. */
export function shardSeed(seed: number, index: number): number {
  return deriveSeed(seed, index);
}

export async function writeShard(job: ShardJob, onProgress?: (bytesDone: number) => void): Promise<ShardResult> {
  const files = await sliceFiles(job);
  try {
    const tokenizer = AlbertTokenizer.fromBytes(job.model);
    const options = corpusOptions(
      tokenizer,
      files.map((f) => f.path),
      job.shape,
      { batchSize: 1, epochs: job.dupeFactor, seed: shardSeed(job.shape.seed, job.index) },
    );
    const corpus = new PretrainingCorpus(options);
    const sizes = files.map((f) => f.bytes);
    const passBytes = sizes.reduce((a, b) => a + b, 0);
    const writer = await TFRecordWriter.create(job.output);
    const shape = { maxSeqLength: job.shape.maxSeqLength, maxPredictionsPerSeq: job.shape.maxPredictionsPerSeq };
    let tokens = 0;
    let masked = 0;
    let swapped = 0;
    for await (const example of corpus.examples()) {
      await writer.writeExample(example, shape);
      tokens += example.inputIds.length;
      masked += example.maskedPositions.length;
      swapped += example.sentenceOrderLabel;
      if (onProgress != null && writer.count % 100 === 0) {
        const p = corpus.position;
        const before = sizes.slice(0, p.fileIndex).reduce((a, b) => a + b, 0);
        onProgress(Math.min(job.dupeFactor * passBytes, p.epoch * passBytes + before + p.offset));
      }
    }
    await writer.close();
    if (writer.count === 0) {
      await rm(job.output, { force: true });
      throw new CorpusTooSmallError(
        `shard ${job.index} (${passBytes} bytes of text) gave no pretraining example: its lines hold too few tokens ` +
          'for a sentence pair. Use fewer --shards, or more text.',
      );
    }
    onProgress?.(job.dupeFactor * passBytes);
    return {
      index: job.index,
      output: job.output,
      examples: writer.count,
      tokens,
      masked,
      swapped,
      inputBytes: passBytes,
      threadId,
    };
  } finally {
    await Promise.all(files.filter((f) => f.temporary).map((f) => rm(f.path, { force: true })));
  }
}

interface SliceFile {
  path: string;
  bytes: number;
  temporary: boolean;
}

/** Each part as a file PretrainingCorpus can stream: whole files as they are, ranges copied out. */
async function sliceFiles(job: ShardJob): Promise<SliceFile[]> {
  const { stat } = await import('node:fs/promises');
  const out: SliceFile[] = [];
  for (const [j, part] of job.parts.entries()) {
    const size = (await stat(part.file)).size;
    const bytes = part.end - part.start;
    if (part.start === 0 && part.end === size) {
      out.push({ path: part.file, bytes, temporary: false });
      continue;
    }
    await mkdir(job.scratch, { recursive: true });
    const path = join(job.scratch, `shard-${job.index}-part-${j}.txt`);
    out.push({ path, bytes, temporary: true });
    await pipeline(createReadStream(part.file, { start: part.start, end: part.end - 1 }), createWriteStream(path));
  }
  return out;
}
