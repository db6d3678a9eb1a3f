// AlbertDense {x, weight, bias}: x [..., in] · weight [in, out] + bias [out] -> [..., out], a dense
// layer as ONE taped kernel with a registered gradient (../gradients.ts). Through
// tf.fused.matMul the same layer is two reshapes, a _FusedMatMul that reshapes to 3-D and back,
// and a gradient of reshapes, two matmuls and a bias Sum: ~17 kernels and their tape entries per
// layer in a training step. Here: one kernel forward, and one AlbertDenseGrad call per input
// gradient ('x' | 'weight' | 'bias'), the reshapes being views of the same data.
//
// The products run on the registered GEMM kernels (AlbertLinear forward, BatchMatMul backward),
// so results are the ones the composite gets from the same backend.
import {
  AlbertDense,
  AlbertDenseGrad,
  type AlbertDenseGradAttrs,
  type AlbertDenseGradInputs,
  type AlbertDenseInputs,
  AlbertLinear,
} from '@albert-ts/common';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { BackendError, KernelError } from '../../errors.js';
import type { NativeBackend } from '../backend.js';
import { ReduceOp } from '../op-codes.js';
import { matMulKernels } from './mat_mul.js';
import { f32, isF32, type NativeKernel, size } from './util.js';

// Called directly (not through the kernel registry), so a profiler wrapping registered kernels
// counts their time once, under AlbertDense / AlbertDenseGrad.
function gemmKernel(name: typeof AlbertLinear | 'BatchMatMul'): KernelFunc {
  const config = matMulKernels.find((k) => k.kernelName === name);
  if (config == null)
    throw new BackendError(
      `the native backend has no ${name} kernel: its kernel table is incomplete (a bug in @albert-ts/backends; please report it)`,
    );
  return config.kernelFunc;
}
const albertLinear = gemmKernel(AlbertLinear);
const batchMatMul = gemmKernel('BatchMatMul');

// The same data seen with another shape (what the Reshape kernel returns, without a kernel call).
function view(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

function checkDense(name: string, x: TensorInfo, weight: TensorInfo, bias?: TensorInfo): [number, number] {
  const inDim = x.shape[x.shape.length - 1];
  const ok =
    inDim != null &&
    weight.shape.length === 2 &&
    weight.shape[0] === inDim &&
    (bias == null || (bias.shape.length === 1 && bias.shape[0] === weight.shape[1]));
  if (!ok) {
    throw new KernelError(
      `${name}: x [${x.shape}] times weight [${weight.shape}] (stored [in, out]) plus bias [${bias?.shape ?? ''}] do not fit`,
    );
  }
  return [inDim as number, weight.shape[1] as number];
}

const dense: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x, weight, bias } = args.inputs as unknown as AlbertDenseInputs<TensorInfo>;
  if (!isF32(backend, x, weight, bias)) throw new KernelError('AlbertDense takes float32 tensors: cast them first');
  checkDense(AlbertDense, x, weight, bias);
  return albertLinear({
    inputs: { x, weight, bias },
    backend,
    attrs: { activation: 'linear' },
  }) as TensorInfo;
};

// One input's gradient per call (tfjs asks for each input's gradient in its own closure):
// 'x': dy · weightᵀ -> x's shape; 'weight': xᵀ · dy -> [in, out]; 'bias': dy summed over rows -> [out].
const denseGrad: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { dy, x, weight } = args.inputs as unknown as AlbertDenseGradInputs<TensorInfo>;
  const { output } = args.attrs as unknown as AlbertDenseGradAttrs;
  if (!isF32(backend, dy, x, weight)) throw new KernelError('AlbertDenseGrad takes float32 tensors: cast them first');
  const [inDim, outDim] = checkDense(AlbertDenseGrad, x, weight);
  const rows = size(x.shape) / Math.max(inDim, 1);
  if (size(dy.shape) !== rows * outDim) {
    throw new KernelError(
      `AlbertDenseGrad: dy [${dy.shape}] must hold ${rows} rows of ${outDim} (the forward output's shape)`,
    );
  }
  const dy2 = view(dy, [rows, outDim]); // [N, out]
  if (output === 'x') {
    const dx = batchMatMul({
      inputs: { a: dy2, b: weight },
      backend,
      attrs: { transposeA: false, transposeB: true },
    }) as TensorInfo; // [N, in]
    return view(dx, x.shape);
  }
  if (output === 'weight') {
    return batchMatMul({
      inputs: { a: view(x, [rows, inDim]), b: dy2 },
      backend,
      attrs: { transposeA: true, transposeB: false },
    }) as TensorInfo; // [in, out]
  }
  if (output !== 'bias')
    throw new KernelError(`AlbertDenseGrad: attr output must be 'x', 'weight' or 'bias', got '${output}'`);
  const db = backend.allocF32(outDim);
  if (rows === 0) db.fill(0);
  else backend.addon.reduce(ReduceOp.Sum, f32(backend, dy), db, 1, rows, outDim);
  return backend.makeTensorInfo([outDim], 'float32', db);
};

export const denseKernels: NativeKernel[] = [
  { kernelName: AlbertDense, kernelFunc: dense },
  { kernelName: AlbertDenseGrad, kernelFunc: denseGrad },
];
