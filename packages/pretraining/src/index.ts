// @albert-ts/pretraining: MLM + SOP heads, masking, SOP examples, corpus pipeline, TFRecord.

export { albertLineTokenizer, wordStartTable } from './corpus/albert-line-tokenizer.js';
export { batchToTensors, collateBatch, type PretrainingBatch, type PretrainingBatchTensors } from './corpus/batch.js';
export { type CorpusOptions, type CorpusState, PretrainingCorpus } from './corpus/corpus.js';
export { maskInstance, type PretrainingExample, type SerializedExample } from './corpus/example.js';
export { readLines } from './corpus/line-reader.js';
export { type LineTokenizer, type TokenizedLine, toSegment } from './corpus/line-tokenizer.js';
export { ShuffleBuffer } from './corpus/shuffle-buffer.js';
export { PretrainingError, TFRecordError } from './errors.js';
export { AlbertForMaskedLM, type MaskedLMLabels, type MaskedLMOutput } from './heads/albert-for-masked-lm.js';
export {
  AlbertForPreTraining,
  type HeadForwardOptions,
  type PreTrainingLabels,
  type PreTrainingOutput,
} from './heads/albert-for-pretraining.js';
export { MLM_TIED_KEYS, mlmHead, mlmHeadSpecs } from './heads/mlm-head.js';
export {
  MaskDecision,
  type MaskedSequence,
  type MaskedSpan,
  type MaskingInput,
  type MaskingOptions,
  type MaskingStats,
  maskNgrams,
  mlmLabels,
  newMaskingStats,
} from './masking/ngram-masking.js';
export { roundHalfEven } from './masking/round-half-even.js';
export { isStartPieceBert, isStartPieceSp, type WordStartRule, wordStarts } from './masking/word-start.js';
export { deriveSeed, type RandomGenerator, rngFor, rngFromState } from './random/seeded-rng.js';
export {
  type Segment,
  type SopBuilderState,
  SopDocumentBuilder,
  type SopInstance,
  type SopOptions,
} from './sop/sop-builder.js';
export { truncatePair } from './sop/truncate-pair.js';
export { type AlbertFeatureShape, exampleToFeatures, featuresToExample } from './tfrecord/albert-features.js';
export { crc32c, maskCrc, unmaskCrc } from './tfrecord/crc32c.js';
export { decodeExample, encodeExample, type Feature, type Features } from './tfrecord/example-proto.js';
export { frameRecord, parseRecords } from './tfrecord/record-framing.js';
export {
  readExamplesTFRecord,
  readTFRecordFile,
  TFRecordWriter,
  writeExamplesTFRecord,
} from './tfrecord/tfrecord-file.js';
