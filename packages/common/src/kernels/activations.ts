// Numeric activation codes of the native GEMM epilogue: packages/backends/native/src/kernels.h
// `enum Act` holds the same list in the same order (a backends test parses the header and
// compares). Names are tfjs _FusedMatMul's activations plus both GELUs.

export const FUSED_ACTIVATION_CODES = {
  linear: 0,
  relu: 1,
  relu6: 2,
  sigmoid: 3,
  leakyrelu: 4,
  elu: 5,
  gelu: 6,
  gelu_new: 7,
} as const;

export type FusedActivation = keyof typeof FUSED_ACTIVATION_CODES;
