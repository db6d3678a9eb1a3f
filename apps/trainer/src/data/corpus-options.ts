// PretrainingCorpus options from an ALBERT tokenizer and the example-shape flags shared by
// `prepare-data` and `pretrain` (names and defaults of create_pretraining_data.py's flags).
import { albertLineTokenizer, type CorpusOptions } from '@albert-ts/pretraining';
import type { AlbertTokenizer } from '@albert-ts/tokenizer';
import type { Command } from 'commander';
import { int, num } from '../cli/options.js';

export interface ExampleShape {
  /** --max_seq_length (512). */
  maxSeqLength: number;
  /** --max_predictions_per_seq (20). */
  maxPredictionsPerSeq: number;
  /** --masked_lm_prob (0.15). */
  maskedLmProb: number;
  /** --short_seq_prob (0.1). */
  shortSeqProb: number;
  /** --ngram (3). */
  ngram: number;
  /** --random_seed (12345). */
  seed: number;
  /** Examples held for shuffling (the original shuffles everything in memory). */
  shuffleBuffer: number;
}

export const EXAMPLE_DEFAULTS: ExampleShape = {
  maxSeqLength: 512,
  maxPredictionsPerSeq: 20,
  maskedLmProb: 0.15,
  shortSeqProb: 0.1,
  ngram: 3,
  seed: 12345,
  shuffleBuffer: 1000,
};

export function corpusOptions(
  tokenizer: AlbertTokenizer,
  files: string[],
  shape: ExampleShape,
  extra: { batchSize: number; epochs?: number; seed?: number },
): CorpusOptions {
  return {
    files,
    tokenize: albertLineTokenizer(tokenizer),
    seed: extra.seed ?? shape.seed,
    batchSize: extra.batchSize,
    epochs: extra.epochs ?? 1,
    clsId: tokenizer.clsId,
    sepId: tokenizer.sepId,
    maskTokenId: tokenizer.maskId,
    padId: tokenizer.padId,
    vocabSize: tokenizer.vocabSize,
    maxSeqLength: shape.maxSeqLength,
    maxPredictionsPerSeq: shape.maxPredictionsPerSeq,
    maskedLmProb: shape.maskedLmProb,
    shortSeqProb: shape.shortSeqProb,
    ngram: shape.ngram,
    shuffleBufferSize: shape.shuffleBuffer,
    masking: 'dynamic',
  };
}

/** The example-shape flags of prepare-data and pretrain (create_pretraining_data.py's names). */
export function addExampleShapeOptions(command: Command, maxSeqLength: number): Command {
  const d = EXAMPLE_DEFAULTS;
  return command
    .option('--max-seq-length <n>', 'tokens per example (--max_seq_length)', int('--max-seq-length', 8), maxSeqLength)
    .option(
      '--max-predictions-per-seq <n>',
      'masked tokens per example at most (--max_predictions_per_seq)',
      int('--max-predictions-per-seq', 1),
      d.maxPredictionsPerSeq,
    )
    .option('--masked-lm-prob <p>', 'fraction of tokens masked', num('--masked-lm-prob', 0, 1), d.maskedLmProb)
    .option('--short-seq-prob <p>', 'fraction of shorter examples', num('--short-seq-prob', 0, 1), d.shortSeqProb)
    .option('--ngram <n>', 'longest masked n-gram', int('--ngram', 1), d.ngram)
    .option('--shuffle-buffer <n>', 'examples shuffled together', int('--shuffle-buffer', 1), d.shuffleBuffer)
    .option('--seed <n>', 'random seed (--random_seed; pretrain: also the weights and dropout)', int('--seed'), d.seed);
}
