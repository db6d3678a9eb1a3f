// @albert-ts/tokenizer: SentencePiece .model I/O, normalizer, Viterbi encoder, AlbertTokenizer, unigram trainer.

export {
  AlbertTokenizer,
  type AlbertTokenizerOptions,
  cleanUpTokenization,
  type DecodeOptions,
} from './albert/albert-tokenizer.js';
export type { Encoding, TokenSequence } from './albert/encoding.js';
export {
  type EncodeOptions,
  type PaddingStrategy,
  SequenceEncoder,
  type TextInput,
  type TruncationStrategy,
} from './albert/sequence-encoder.js';
export { AlbertError, ModelFormatError, TokenizerInputError } from './errors.js';
export { TokenizerJsonTokenizer } from './hf-json/tokenizer-json.js';
export { type TokenizerJsonOptions, tokenizerJsonFromModel } from './hf-json/write-tokenizer-json.js';
export {
  type ModelPiece,
  type ModelProto,
  type NormalizerSpec,
  PieceType,
  parseModelProto,
  type SelfTestData,
  type SelfTestSample,
  serializeModelProto,
  type TrainerSpec,
} from './model/model-proto.js';
export { UnigramModel } from './model/unigram.js';
export { AlignedText } from './normalizer/aligned.js';
export { type CharsMapRule, decodeCharsMap } from './normalizer/charsmap.js';
export { SentencePieceNormalizer } from './normalizer/sp-normalizer.js';
export { AlbertTokenizerPool, type PoolOptions } from './parallel/pool.js';
export { type SentencePieceEncoding, SentencePieceProcessor } from './processor.js';
export * from './trainer/index.js';
export { DoubleArrayTrie } from './trie/double-array.js';
