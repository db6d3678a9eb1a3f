// Reading the training sentences: one sentence per line, streamed. Like spm_train, empty lines are
// dropped, lines longer than maxSentenceLength UTF-8 bytes are skipped, and when more than
// inputSentenceSize lines arrive a seeded reservoir sample (Vitter's algorithm R) of that size is
// kept, so memory is bounded by inputSentenceSize whatever the corpus size.

import { randomInt, rngFor } from '@albert-ts/common';
import type { TrainerOptions } from './options.js';

/** Lines of text: any (async) iterable of strings. Trailing `\r` is removed. */
export type SentenceSource = Iterable<string> | AsyncIterable<string>;

export interface ReadResult {
  sentences: string[];
  /** Non-empty lines seen (before sampling). */
  seen: number;
  /** Lines skipped for being longer than maxSentenceLength bytes. */
  tooLong: number;
}

export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Reads the sentences. With `sink` and no sampling (inputSentenceSize 0), every sentence goes to
 * the sink as soon as it is read and none is kept: memory does not grow with the corpus.
 */
export async function readSentences(
  source: SentenceSource,
  o: Pick<TrainerOptions, 'inputSentenceSize' | 'shuffleInputSentence' | 'maxSentenceLength' | 'seed'>,
  onLine?: (seen: number) => void,
  sink?: (sentence: string) => void,
): Promise<ReadResult> {
  const sentences: string[] = [];
  const limit = o.inputSentenceSize;
  const rng = rngFor(o.seed, 'read-sentences');
  let seen = 0;
  let tooLong = 0;
  for await (let line of source as AsyncIterable<string>) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length === 0) continue;
    if (
      line.length > o.maxSentenceLength ||
      (line.length * 3 > o.maxSentenceLength && utf8Length(line) > o.maxSentenceLength)
    ) {
      tooLong++;
      continue;
    }
    seen++;
    if ((seen & 0x3fff) === 0) onLine?.(seen);
    if (limit === 0 && sink !== undefined) sink(line);
    else if (limit === 0 || sentences.length < limit) sentences.push(line);
    else if (o.shuffleInputSentence) {
      const j = randomInt(rng, 0, seen - 1); // algorithm R: keep line `seen` with probability limit / seen
      if (j < limit) sentences[j] = line;
    }
  }
  onLine?.(seen);
  return { sentences, seen, tooLong };
}

/** Node: the lines of text files, read as a stream (UTF-8). */
export async function* readLinesFromFiles(paths: readonly string[]): AsyncGenerator<string> {
  const { createReadStream } = await import('node:fs');
  const { createInterface } = await import('node:readline');
  for (const path of paths) {
    const rl = createInterface({
      input: createReadStream(path, { encoding: 'utf8' }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of rl) yield line;
  }
}
