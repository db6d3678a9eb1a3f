// @albert-ts/common: what every albert-ts package shares, with no tensor library and no addon:
// the error root, the seeded random-number family, the fused-kernel contract and the attention
// mask values, the ignored-label value, and the protocol-buffer wire codec.
export { AlbertError } from './errors.js';
export { IGNORE_INDEX } from './ignore-index.js';
export { FUSED_ACTIVATION_CODES, type FusedActivation } from './kernels/activations.js';
export * from './kernels/kernel-names.js';
export {
  type Bf16Weight,
  concatColumns,
  fromBf16Bits,
  LOW_PRECISION_STRIP,
  type LowPrecisionDtype,
  LowPrecisionError,
  packBf16,
  type Q8Weight,
  q8At,
  quantizeQ8,
  toBf16Bits,
} from './kernels/low-precision.js';
export { MASK_NEGATIVE_FP16, MASK_NEGATIVE_FP32, maskNegativeFor } from './mask.js';
export {
  WIRE_END_GROUP,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_LEN,
  WIRE_START_GROUP,
  WIRE_VARINT,
  type WireFailure,
  WireReader,
  WireWriter,
} from './protobuf/wire.js';
export {
  DROPOUT_HASH,
  dropoutBits,
  dropoutKeys,
  dropoutThreshold,
  lowbias32,
  seedWords,
} from './random/counter-hash.js';
export { deriveSeed, fmix32, hashString } from './random/derive-seed.js';
export {
  type RandomGenerator,
  randomFloat,
  randomInt,
  randomInt32,
  rngFor,
  rngFromState,
  SeededRandom,
  shuffleInPlace,
} from './random/generator.js';
