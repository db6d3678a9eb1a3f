// BatchMatMul and _FusedMatMul on the native GEMM: transposes are absorbed by the packing,
// a shared right operand (a weight) is packed once and cached, and _FusedMatMul's bias and
// activation run on each output tile while it is in cache.
import {
  AlbertLinear,
  type AlbertLinearAttrs,
  type AlbertLinearInputs,
  FUSED_ACTIVATION_CODES,
} from '@albert-ts/common';
import {
  type _FusedMatMulAttrs,
  type BatchMatMulAttrs,
  backend_util,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { KernelError } from '../../errors.js';
import type { NativeBackend } from '../backend.js';
import { UnaryOp } from '../op-codes.js';
import { cpuKernel, f32, isF32, type NativeKernel, size } from './util.js';

// Activation name -> the GEMM epilogue's code (native/src/kernels.h enum Act).
const ACTIVATIONS: Record<string, number> = FUSED_ACTIVATION_CODES;

interface Plan {
  outShape: number[];
  batch: number;
  m: number;
  n: number;
  k: number;
  aStride: number;
  bStride: number;
}

// Shapes of a matmul, or null when the batch dims broadcast in a way the GEMM does not stride.
function plan(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): Plan | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const m = transA ? (a.shape[ra - 1] as number) : (a.shape[ra - 2] as number);
  const k = transA ? (a.shape[ra - 2] as number) : (a.shape[ra - 1] as number);
  const kb = transB ? (b.shape[rb - 1] as number) : (b.shape[rb - 2] as number);
  const n = transB ? (b.shape[rb - 2] as number) : (b.shape[rb - 1] as number);
  if (k !== kb) {
    throw new KernelError(
      `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} ` +
        `and transposeA=${transA} and transposeB=${transB} must match.`,
    );
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = size(outerA);
  const batchB = size(outerB);
  const outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = size(outer);
  let aStride: number;
  let bStride: number;
  if (batchA === batch && batchB === batch) {
    // Equal sizes after broadcasting means the same row-major order of batch items.
    aStride = m * k;
    bStride = k * n;
  } else if (batchB === 1 && batchA === batch) {
    aStride = m * k;
    bStride = 0;
  } else if (batchA === 1 && batchB === batch) {
    aStride = 0;
    bStride = k * n;
  } else {
    return null;
  }
  if (batch === 1) {
    aStride = 0;
    bStride = 0;
  }
  return { outShape: [...outer, m, n], batch, m, n, k, aStride, bStride };
}

function run(
  backend: NativeBackend,
  a: TensorInfo,
  b: TensorInfo,
  transA: boolean,
  transB: boolean,
  p: Plan,
  bias: Float32Array | null,
  act: number,
  alpha: number,
): TensorInfo {
  const out = backend.allocF32(p.batch * p.m * p.n);
  const bv = f32(backend, b);
  const packed = p.bStride === 0 ? backend.packedB(b.dataId, bv, transB, p.k, p.n) : null;
  backend.addon.gemm(
    f32(backend, a),
    bv,
    out,
    p.batch,
    p.m,
    p.n,
    p.k,
    p.aStride,
    p.bStride,
    transA,
    transB,
    packed,
    bias,
    act,
    alpha,
  );
  return backend.makeTensorInfo(p.outShape, 'float32', out);
}

const cpuBatchMatMul = cpuKernel('BatchMatMul');

const batchMatMul: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { a, b } = args.inputs as unknown as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
  if (!isF32(backend, a, b)) return cpuBatchMatMul(args);
  const p = plan(a, b, transposeA, transposeB);
  if (p == null) return cpuBatchMatMul(args);
  return run(backend, a, b, transposeA, transposeB, p, null, 0, 0);
};

const cpuFusedMatMul = cpuKernel('_FusedMatMul');

const fusedMatMul: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { a, b, bias } = args.inputs as unknown as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo };
  const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as unknown as _FusedMatMulAttrs;
  const act = ACTIVATIONS[activation];
  if (act == null || !isF32(backend, a, b) || (bias != null && !isF32(backend, bias))) return cpuFusedMatMul(args);
  const p = plan(a, b, transposeA, transposeB);
  if (p == null) return cpuFusedMatMul(args);
  // A bias of n values along the last axis goes into the epilogue; any other bias shape
  // is added afterwards with the native broadcasting add.
  const rowBias = bias == null || (size(bias.shape) === p.n && bias.shape[bias.shape.length - 1] === p.n);
  if (rowBias) {
    return run(backend, a, b, transposeA, transposeB, p, bias ? f32(backend, bias) : null, act, leakyreluAlpha ?? 0.2);
  }
  const product = run(backend, a, b, transposeA, transposeB, p, null, 0, 0);
  const shape = backend_util.assertAndGetBroadcastShape(product.shape, (bias as TensorInfo).shape);
  const y = backend.allocF32(size(shape));
  backend.addon.binary(
    0,
    f32(backend, product),
    product.shape,
    f32(backend, bias as TensorInfo),
    (bias as TensorInfo).shape,
    y,
    shape,
  );
  backend.disposeIntermediateTensorInfo(product);
  if (act !== 0) backend.addon.unary(ACT_TO_UNARY[act] as number, y, y, leakyreluAlpha ?? 0.2);
  return backend.makeTensorInfo(shape, 'float32', y);
};

// Act code -> UnaryOp code.
const ACT_TO_UNARY: Record<number, number> = {
  [FUSED_ACTIVATION_CODES.relu]: UnaryOp.Relu,
  [FUSED_ACTIVATION_CODES.relu6]: UnaryOp.Relu6,
  [FUSED_ACTIVATION_CODES.sigmoid]: UnaryOp.Sigmoid,
  [FUSED_ACTIVATION_CODES.leakyrelu]: UnaryOp.LeakyRelu,
  [FUSED_ACTIVATION_CODES.elu]: UnaryOp.Elu,
  [FUSED_ACTIVATION_CODES.gelu]: UnaryOp.Gelu,
  [FUSED_ACTIVATION_CODES.gelu_new]: UnaryOp.GeluNew,
};

// AlbertLinear {x, weight, bias} {activation} (packages/common/CONTRACTS.md): x [..., in] times weight [in, out]
// plus bias [out], then 'linear' | 'gelu' | 'gelu_new', all in the GEMM's epilogue. Core runs it
// only outside gradient recording (it has no gradient); tfjs's own _FusedMatMul passes only its
// built-in activations, so GELU could not ride on it.
const albertLinear: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x, weight, bias } = args.inputs as unknown as AlbertLinearInputs<TensorInfo>;
  const { activation } = args.attrs as unknown as AlbertLinearAttrs;
  const act = ACTIVATIONS[activation];
  if (act == null || (act !== 0 && act < 6))
    throw new KernelError(`AlbertLinear: unknown activation "${activation}"; use 'linear', 'gelu' or 'gelu_new'`);
  if (!isF32(backend, x, weight, bias)) throw new KernelError('AlbertLinear takes float32 tensors: cast them first');
  const inDim = x.shape[x.shape.length - 1] as number;
  if (weight.shape.length !== 2 || weight.shape[0] !== inDim || size(bias.shape) !== weight.shape[1]) {
    throw new KernelError(
      `AlbertLinear: x [${x.shape}], weight [${weight.shape}], bias [${bias.shape}] do not fit: x [..., in], weight [in, out], bias [out]`,
    );
  }
  const n = weight.shape[1] as number;
  const rows = size(x.shape) / inDim;
  const p: Plan = { outShape: [...x.shape.slice(0, -1), n], batch: 1, m: rows, n, k: inDim, aStride: 0, bStride: 0 };
  return run(backend, x, weight, false, false, p, f32(backend, bias), act, 0);
};

export const matMulKernels: NativeKernel[] = [
  { kernelName: 'BatchMatMul', kernelFunc: batchMatMul },
  { kernelName: '_FusedMatMul', kernelFunc: fusedMatMul },
  { kernelName: AlbertLinear, kernelFunc: albertLinear },
];
