// The low-precision inference kernels of the contract (packages/common/CONTRACTS.md,
// "Low-precision weights"): AlbertLinearQ8 / AlbertLinearBf16 {x [..., in], weight (packed
// int32), [weightScale, weightColSum,] bias [out]} {activation}, and AlbertSelfAttentionQ8 /
// AlbertSelfAttentionBf16 {x [b, s, H], weight (packed [H, 3H]), …, bias [3H], mask} {numHeads,
// scale}. The addon picks the instruction path at run time (native/src/lowp.h: AVX-512 VNNI /
// BF16, AVX2, scalar; ALBERT_TS_NATIVE_ISA lowers it). No gradients: inference only.
import {
  type AlbertLinearAttrs,
  AlbertLinearBf16,
  type AlbertLinearBf16Inputs,
  AlbertLinearQ8,
  type AlbertLinearQ8Inputs,
  type AlbertSelfAttentionAttrs,
  AlbertSelfAttentionBf16,
  type AlbertSelfAttentionBf16Inputs,
  AlbertSelfAttentionQ8,
  type AlbertSelfAttentionQ8Inputs,
  FUSED_ACTIVATION_CODES,
  LOW_PRECISION_STRIP,
} from '@albert-ts/common';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelError } from '../../errors.js';
import type { NativeAddon } from '../addon.js';
import type { NativeBackend } from '../backend.js';
import { f32, isF32, type NativeKernel, size } from './util.js';

// The addon entry point (registered only when present: `needs` below).
function entry<K extends 'q8Linear' | 'bf16Linear' | 'selfAttentionLowp'>(
  backend: NativeBackend,
  name: K,
): NonNullable<NativeAddon[K]> {
  const f = backend.addon[name];
  if (typeof f !== 'function')
    throw new KernelError(
      `the native addon has no ${name}: rebuild it (node scripts/build-native.mjs in @albert-ts/backends)`,
    );
  return f.bind(backend.addon) as NonNullable<NativeAddon[K]>;
}

function int32(backend: NativeBackend, name: string, input: string, t: TensorInfo): Int32Array {
  const v = backend.data.get(t.dataId).values;
  if (t.dtype !== 'int32' || !(v instanceof Int32Array))
    throw new KernelError(`${name}: ${input} must be an int32 tensor (a packed weight), got ${t.dtype}`);
  return v;
}

// A packed weight [ceil(out/16), ceil(in/group), 16] for `inDim` inputs and `outDim` outputs.
function checkPacked(name: string, weight: TensorInfo, inDim: number, outDim: number, group: number): void {
  const strips = Math.ceil(outDim / LOW_PRECISION_STRIP);
  const want = [strips, Math.ceil(inDim / group), LOW_PRECISION_STRIP];
  if (weight.shape.length !== 3 || weight.shape.some((d, i) => d !== want[i])) {
    throw new KernelError(
      `${name}: weight must be the packed [${want}] of a [${inDim}, ${outDim}] weight (@albert-ts/common's ${group === 4 ? 'quantizeQ8' : 'packBf16'}), got [${weight.shape}]`,
    );
  }
}

function checkPerColumn(name: string, input: string, t: TensorInfo, outDim: number): void {
  const want = Math.ceil(outDim / LOW_PRECISION_STRIP) * LOW_PRECISION_STRIP;
  if (size(t.shape) !== want)
    throw new KernelError(`${name}: ${input} must have ${want} values (out ${outDim} padded to 16), got [${t.shape}]`);
}

function activationCode(name: string, activation: string): number {
  const code = (FUSED_ACTIVATION_CODES as Record<string, number>)[activation];
  if (code == null || !['linear', 'gelu', 'gelu_new'].includes(activation))
    throw new KernelError(`${name}: activation must be 'linear', 'gelu' or 'gelu_new', got '${activation}'`);
  return code;
}

function linearShape(name: string, x: TensorInfo, bias: TensorInfo): [number, number, number] {
  const inDim = x.shape[x.shape.length - 1] ?? 0;
  if (x.shape.length < 1 || inDim === 0)
    throw new KernelError(`${name}: x must be [..., in] with in > 0, got [${x.shape}]`);
  if (bias.shape.length !== 1 || (bias.shape[0] ?? 0) === 0)
    throw new KernelError(`${name}: bias must be [out], got [${bias.shape}]`);
  return [size(x.shape) / inDim, inDim, bias.shape[0] as number];
}

const linearQ8: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x, weight, weightScale, weightColSum, bias } = args.inputs as unknown as AlbertLinearQ8Inputs<TensorInfo>;
  const { activation } = args.attrs as unknown as AlbertLinearAttrs;
  if (!isF32(backend, x, weightScale, bias))
    throw new KernelError('AlbertLinearQ8: x, weightScale and bias must be float32 tensors');
  const [rows, inDim, outDim] = linearShape(AlbertLinearQ8, x, bias);
  checkPacked(AlbertLinearQ8, weight, inDim, outDim, 4);
  checkPerColumn(AlbertLinearQ8, 'weightScale', weightScale, outDim);
  checkPerColumn(AlbertLinearQ8, 'weightColSum', weightColSum, outDim);
  const y = backend.allocF32(rows * outDim);
  entry(backend, 'q8Linear')(
    f32(backend, x),
    int32(backend, AlbertLinearQ8, 'weight', weight),
    f32(backend, weightScale),
    int32(backend, AlbertLinearQ8, 'weightColSum', weightColSum),
    f32(backend, bias),
    y,
    rows,
    inDim,
    outDim,
    activationCode(AlbertLinearQ8, activation),
  );
  return backend.makeTensorInfo([...x.shape.slice(0, -1), outDim], 'float32', y);
};

const linearBf16: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x, weight, bias } = args.inputs as unknown as AlbertLinearBf16Inputs<TensorInfo>;
  const { activation } = args.attrs as unknown as AlbertLinearAttrs;
  if (!isF32(backend, x, bias)) throw new KernelError('AlbertLinearBf16: x and bias must be float32 tensors');
  const [rows, inDim, outDim] = linearShape(AlbertLinearBf16, x, bias);
  checkPacked(AlbertLinearBf16, weight, inDim, outDim, 2);
  const y = backend.allocF32(rows * outDim);
  entry(backend, 'bf16Linear')(
    f32(backend, x),
    int32(backend, AlbertLinearBf16, 'weight', weight),
    f32(backend, bias),
    y,
    rows,
    inDim,
    outDim,
    activationCode(AlbertLinearBf16, activation),
  );
  return backend.makeTensorInfo([...x.shape.slice(0, -1), outDim], 'float32', y);
};

function attentionShape(name: string, x: TensorInfo, bias: TensorInfo, mask: TensorInfo, numHeads: number) {
  if (x.shape.length !== 3) throw new KernelError(`${name}: x must be [batch, seq, hidden], got [${x.shape}]`);
  const [batch, seq, hidden] = x.shape as [number, number, number];
  if (!Number.isInteger(numHeads) || numHeads < 1 || hidden % numHeads !== 0)
    throw new KernelError(`${name}: numHeads (${numHeads}) must be a positive divisor of hidden (${hidden})`);
  if (size(bias.shape) !== 3 * hidden)
    throw new KernelError(`${name}: bias must be [bq | bk | bv] of ${3 * hidden} values, got [${bias.shape}]`);
  if (size(mask.shape) !== batch * seq || mask.shape[0] !== batch || mask.shape[mask.shape.length - 1] !== seq)
    throw new KernelError(`${name}: mask must be [${batch}, 1, 1, ${seq}] (additive), got [${mask.shape}]`);
  return [batch, seq, hidden] as const;
}

function attentionKernel(kind: 1 | 2): KernelFunc {
  const name = kind === 1 ? AlbertSelfAttentionQ8 : AlbertSelfAttentionBf16;
  return (args) => {
    const backend = args.backend as NativeBackend;
    const inputs = args.inputs as unknown as AlbertSelfAttentionQ8Inputs<TensorInfo> &
      AlbertSelfAttentionBf16Inputs<TensorInfo>;
    const { numHeads, scale } = args.attrs as unknown as AlbertSelfAttentionAttrs;
    const { x, weight, bias, mask } = inputs;
    if (!isF32(backend, x, bias, mask)) throw new KernelError(`${name}: x, bias and mask must be float32 tensors`);
    const [batch, seq, hidden] = attentionShape(name, x, bias, mask, numHeads);
    checkPacked(name, weight, hidden, 3 * hidden, kind === 1 ? 4 : 2);
    let weightScale: Float32Array | null = null;
    let colSum: Int32Array | null = null;
    if (kind === 1) {
      if (!isF32(backend, inputs.weightScale)) throw new KernelError(`${name}: weightScale must be float32`);
      checkPerColumn(name, 'weightScale', inputs.weightScale, 3 * hidden);
      checkPerColumn(name, 'weightColSum', inputs.weightColSum, 3 * hidden);
      weightScale = f32(backend, inputs.weightScale);
      colSum = int32(backend, name, 'weightColSum', inputs.weightColSum);
    }
    const out = backend.allocF32(batch * seq * hidden);
    entry(backend, 'selfAttentionLowp')(
      kind,
      f32(backend, x),
      int32(backend, name, 'weight', weight),
      weightScale,
      colSum,
      f32(backend, bias),
      f32(backend, mask),
      out,
      batch,
      seq,
      hidden,
      numHeads,
      scale,
    );
    return backend.makeTensorInfo([batch, seq, hidden], 'float32', out);
  };
}

export const lowPrecisionKernels: NativeKernel[] = [
  { kernelName: AlbertLinearQ8, kernelFunc: linearQ8, needs: 'q8Linear' },
  { kernelName: AlbertLinearBf16, kernelFunc: linearBf16, needs: 'bf16Linear' },
  { kernelName: AlbertSelfAttentionQ8, kernelFunc: attentionKernel(1), needs: 'selfAttentionLowp' },
  { kernelName: AlbertSelfAttentionBf16, kernelFunc: attentionKernel(2), needs: 'selfAttentionLowp' },
];
