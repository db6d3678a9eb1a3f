// The fused-kernel contract between @albert-ts/core (which runs these kernels when the active
// backend registers them, else computes the same thing from tfjs ops) and @albert-ts/backends
// (which registers them on the native backend), in the style of tfjs-core's kernel_names.ts: one
// name constant, one inputs type and one attrs type per kernel. `T` is the tensor type of the side
// using it (tf.Tensor in core, TensorInfo in a backend). CONTRACTS.md in this package says what
// each kernel computes and which have gradients.

/** Which output a gradient kernel call returns (tfjs asks for each input's gradient separately). */
export type LayerNormGradOutput = 'x' | 'params';
export type DenseGradOutput = 'x' | 'weight' | 'bias';

/** Activations AlbertLinear applies in the GEMM's epilogue (Hugging Face names). */
export type AlbertLinearActivation = 'linear' | 'gelu' | 'gelu_new';

export const AlbertLayerNorm = 'AlbertLayerNorm';
export type AlbertLayerNormInputs<T = unknown> = { x: T; gamma: T; beta: T };
export type AlbertLayerNormAttrs = { epsilon: number };

export const AlbertLayerNormGrad = 'AlbertLayerNormGrad';
export type AlbertLayerNormGradInputs<T = unknown> = { dy: T; x: T; gamma: T };
export type AlbertLayerNormGradAttrs = { epsilon: number; output: LayerNormGradOutput };

export const AlbertAddLayerNorm = 'AlbertAddLayerNorm';
export type AlbertAddLayerNormInputs<T = unknown> = { x: T; residual: T; gamma: T; beta: T };
export type AlbertAddLayerNormAttrs = { epsilon: number };

export const AlbertMaskedSoftmax = 'AlbertMaskedSoftmax';
export type AlbertMaskedSoftmaxInputs<T = unknown> = { scores: T; mask: T };
export type AlbertMaskedSoftmaxAttrs = { scale: number };

export const AlbertMaskedSoftmaxGrad = 'AlbertMaskedSoftmaxGrad';
export type AlbertMaskedSoftmaxGradInputs<T = unknown> = { dy: T; y: T };
export type AlbertMaskedSoftmaxGradAttrs = { scale: number };

export const AlbertGelu = 'AlbertGelu';
export const AlbertGeluNew = 'AlbertGeluNew';
export type AlbertGeluInputs<T = unknown> = { x: T };

export const AlbertGeluGrad = 'AlbertGeluGrad';
export const AlbertGeluNewGrad = 'AlbertGeluNewGrad';
export type AlbertGeluGradInputs<T = unknown> = { dy: T; x: T };

export const AlbertLinear = 'AlbertLinear';
export type AlbertLinearInputs<T = unknown> = { x: T; weight: T; bias: T };
export type AlbertLinearAttrs = { activation: AlbertLinearActivation };

export const AlbertDense = 'AlbertDense';
export type AlbertDenseInputs<T = unknown> = { x: T; weight: T; bias: T };

export const AlbertDenseGrad = 'AlbertDenseGrad';
export type AlbertDenseGradInputs<T = unknown> = { dy: T; x: T; weight: T };
export type AlbertDenseGradAttrs = { output: DenseGradOutput };

export const AlbertSelfAttention = 'AlbertSelfAttention';
export type AlbertSelfAttentionInputs<T = unknown> = {
  x: T;
  query: T;
  queryBias: T;
  key: T;
  keyBias: T;
  value: T;
  valueBias: T;
  mask: T;
};
export type AlbertSelfAttentionAttrs = { numHeads: number; scale: number };

// Low-precision inference kernels (CONTRACTS.md "Low-precision weights"; layouts in
// low-precision.ts). `weight` is an int32 tensor [ceil(out/16), ceil(in/G), 16] of packed
// words; q8's `weightScale` (float32) and `weightColSum` (int32) hold ceil(out/16) · 16 values.
export const AlbertLinearQ8 = 'AlbertLinearQ8';
export type AlbertLinearQ8Inputs<T = unknown> = { x: T; weight: T; weightScale: T; weightColSum: T; bias: T };
export const AlbertLinearBf16 = 'AlbertLinearBf16';
export type AlbertLinearBf16Inputs<T = unknown> = { x: T; weight: T; bias: T };
/** The [H, 3H] projection [Wq | Wk | Wv] packed as one weight, its bias [bq | bk | bv] [3H]. */
export const AlbertSelfAttentionQ8 = 'AlbertSelfAttentionQ8';
export type AlbertSelfAttentionQ8Inputs<T = unknown> = {
  x: T;
  weight: T;
  weightScale: T;
  weightColSum: T;
  bias: T;
  mask: T;
};
export const AlbertSelfAttentionBf16 = 'AlbertSelfAttentionBf16';
export type AlbertSelfAttentionBf16Inputs<T = unknown> = { x: T; weight: T; bias: T; mask: T };

export const AlbertDropout = 'AlbertDropout';
export type AlbertDropoutInputs<T = unknown> = { x: T };
/** `seed` is any safe integer; the mask is the counter hash of random/counter-hash.ts. */
export type AlbertDropoutAttrs = { rate: number; seed: number };

export const AlbertAdamUpdate = 'AlbertAdamUpdate';
export const AlbertLambUpdate = 'AlbertLambUpdate';
export type AlbertAdamUpdateInputs<T = unknown> = { param: T; grad: T; m: T; v: T };
/** The scalars of one Adam-family update (see CONTRACTS.md); the optimizer computes them in double precision. */
export type AlbertAdamUpdateAttrs = {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Multiplies √v' before ε is added: 1/√(1 − β2^t) for torch's bias correction, else 1. */
  vScale: number;
  /** Weight decay added to the update (ALBERT's optimizers), 0 for none. */
  decayInUpdate: number;
  /** Multiplies w before the step (torch's decoupled decay 1 − lr·wd), else 1. */
  preScale: number;
  /** The step's scale: lr, times the bias correction where the optimizer folds it in. */
  stepSize: number;
  /** Multiplies w after the step (Hugging Face's legacy decay 1 − lr·wd), else 1. */
  postScale: number;
};

type NoAttrs = Record<never, never>;

/** Every fused kernel's inputs and attrs, by name. */
export interface FusedKernels<T = unknown> {
  AlbertLayerNorm: { inputs: AlbertLayerNormInputs<T>; attrs: AlbertLayerNormAttrs };
  AlbertLayerNormGrad: { inputs: AlbertLayerNormGradInputs<T>; attrs: AlbertLayerNormGradAttrs };
  AlbertAddLayerNorm: { inputs: AlbertAddLayerNormInputs<T>; attrs: AlbertAddLayerNormAttrs };
  AlbertMaskedSoftmax: { inputs: AlbertMaskedSoftmaxInputs<T>; attrs: AlbertMaskedSoftmaxAttrs };
  AlbertMaskedSoftmaxGrad: { inputs: AlbertMaskedSoftmaxGradInputs<T>; attrs: AlbertMaskedSoftmaxGradAttrs };
  AlbertGelu: { inputs: AlbertGeluInputs<T>; attrs: NoAttrs };
  AlbertGeluNew: { inputs: AlbertGeluInputs<T>; attrs: NoAttrs };
  AlbertGeluGrad: { inputs: AlbertGeluGradInputs<T>; attrs: NoAttrs };
  AlbertGeluNewGrad: { inputs: AlbertGeluGradInputs<T>; attrs: NoAttrs };
  AlbertLinear: { inputs: AlbertLinearInputs<T>; attrs: AlbertLinearAttrs };
  AlbertDense: { inputs: AlbertDenseInputs<T>; attrs: NoAttrs };
  AlbertDenseGrad: { inputs: AlbertDenseGradInputs<T>; attrs: AlbertDenseGradAttrs };
  AlbertSelfAttention: { inputs: AlbertSelfAttentionInputs<T>; attrs: AlbertSelfAttentionAttrs };
  AlbertLinearQ8: { inputs: AlbertLinearQ8Inputs<T>; attrs: AlbertLinearAttrs };
  AlbertLinearBf16: { inputs: AlbertLinearBf16Inputs<T>; attrs: AlbertLinearAttrs };
  AlbertSelfAttentionQ8: { inputs: AlbertSelfAttentionQ8Inputs<T>; attrs: AlbertSelfAttentionAttrs };
  AlbertSelfAttentionBf16: { inputs: AlbertSelfAttentionBf16Inputs<T>; attrs: AlbertSelfAttentionAttrs };
  AlbertDropout: { inputs: AlbertDropoutInputs<T>; attrs: AlbertDropoutAttrs };
  AlbertAdamUpdate: { inputs: AlbertAdamUpdateInputs<T>; attrs: AlbertAdamUpdateAttrs };
  AlbertLambUpdate: { inputs: AlbertAdamUpdateInputs<T>; attrs: AlbertAdamUpdateAttrs };
}

export type FusedKernelName = keyof FusedKernels;

/** Every fused kernel name (the keys of FusedKernels). */
export const FUSED_KERNEL_NAMES: readonly FusedKernelName[] = [
  AlbertLayerNorm,
  AlbertLayerNormGrad,
  AlbertAddLayerNorm,
  AlbertMaskedSoftmax,
  AlbertMaskedSoftmaxGrad,
  AlbertGelu,
  AlbertGeluNew,
  AlbertGeluGrad,
  AlbertGeluNewGrad,
  AlbertLinear,
  AlbertDense,
  AlbertDenseGrad,
  AlbertSelfAttention,
  AlbertLinearQ8,
  AlbertLinearBf16,
  AlbertSelfAttentionQ8,
  AlbertSelfAttentionBf16,
  AlbertDropout,
  AlbertAdamUpdate,
  AlbertLambUpdate,
];
