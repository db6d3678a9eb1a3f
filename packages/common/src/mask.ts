// The additive attention-mask value: scores + (1 - mask) * maskNegative before softmax.
//
// Hugging Face transformers (current versions) use torch.finfo(float32).min, so we do too on
// every backend that computes in fp32: masked scores become exactly that value, softmax gives
// them weight 0, and a fully masked row comes out uniform, as in PyTorch.
// In fp16 (WebGL on many mobile GPUs, floatPrecision() === 16) that value is -Infinity: a fully
// masked row then computes -Inf - (-Inf) = NaN, and -1e9 (a common choice) overflows the same
// way. There the value is -1e4, which fp16 holds exactly (its largest finite value is 65504) and
// which still gives masked positions weight exp(-1e4) = 0. Older transformers versions used
// -10000.0 everywhere.

/** torch.finfo(torch.float32).min: the mask value on fp32 backends. */
export const MASK_NEGATIVE_FP32 = -3.4028234663852886e38;
/** The mask value on fp16 backends: finite and exact in half precision. */
export const MASK_NEGATIVE_FP16 = -1e4;

/** The mask value for a backend whose floatPrecision() is `bits` (16 or 32). */
export function maskNegativeFor(bits: number): number {
  return bits === 16 ? MASK_NEGATIVE_FP16 : MASK_NEGATIVE_FP32;
}
