// The native addon's operation codes: enum UnaryOp, BinaryOp and ReduceOp of
// native/src/kernels.h, same names (without the C++ `k`) and same order. test/native/contract.test.ts
// parses the header and compares. The GEMM epilogue's activation codes (enum Act) are
// @albert-ts/common's FUSED_ACTIVATION_CODES, checked by the same test.

export const UnaryOp = {
  Neg: 0,
  Exp: 1,
  Tanh: 2,
  Erf: 3,
  Sqrt: 4,
  Rsqrt: 5,
  Square: 6,
  Abs: 7,
  Relu: 8,
  Sigmoid: 9,
  Reciprocal: 10,
  Relu6: 11,
  Elu: 12,
  LeakyRelu: 13,
  Gelu: 14,
  GeluNew: 15,
  Cube: 16,
} as const;

export const BinaryOp = { Add: 0, Sub: 1, Mul: 2, Div: 3, Max: 4, Min: 5, SquaredDiff: 6 } as const;

export const ReduceOp = { Sum: 0, Mean: 1, MaxR: 2, MinR: 3 } as const;
