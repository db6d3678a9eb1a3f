// The pretraining data from text: PretrainingCorpus streams the files (never the corpus whole),
// repeating them with fresh pairs and masks each pass, and resumes exactly from its saved state.
import { type CorpusOptions, type CorpusState, type PretrainingBatch, PretrainingCorpus } from '@albert-ts/pretraining';
import type { DataSourceFactory } from '@albert-ts/training';
import { CorpusTooSmallError } from '../errors.js';

export function textSource(options: CorpusOptions): DataSourceFactory<PretrainingBatch> {
  return (state) => new PretrainingCorpus(options, state as CorpusState | undefined);
}

/**
 * Reads one pass of the corpus until a full batch exists; a corpus that cannot fill one (too few
 * or too short lines for the sequence length) is an error here, not an endless empty loop later.
 */
export async function checkCorpusFillsABatch(options: CorpusOptions, what: string): Promise<void> {
  const corpus = new PretrainingCorpus({ ...options, epochs: 1, shuffleBufferSize: 1, dropLast: true });
  let examples = 0;
  for await (const _ of corpus.examples()) {
    if (++examples >= options.batchSize) return;
  }
  throw new CorpusTooSmallError(
    `${what} (${options.files.join(', ')}) gives only ${examples} pretraining example(s) of at most ${options.maxSeqLength ?? 512} ` +
      `tokens; a batch needs ${options.batchSize}. Add text, or lower --batch-size or --max-seq-length.`,
  );
}
