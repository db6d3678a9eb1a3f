// PretrainingCorpus options from an ALBERT tokenizer and the example-shape flags shared by
// `prepare-data` and `pretrain` (names and defaults of create_pretraining_data.py's flags).
import { albertLineTokenizer, type CorpusOptions } from '@albert-ts/pretraining';
import type { AlbertTokenizer } from '@albert-ts/tokenizer';

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
