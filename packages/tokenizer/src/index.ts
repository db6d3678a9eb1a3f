// @albert-ts/tokenizer: SentencePiece .model I/O, normalizer, Viterbi encoder, AlbertTokenizer, unigram trainer.
export { AlbertError, ModelFormatError, TokenizerInputError } from './errors.js';
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
