// The fused kernels of the core <-> backends contract (packages/common/CONTRACTS.md): AlbertLayerNorm {x,
// gamma, beta} {epsilon}, AlbertGelu {x}, AlbertGeluNew {x}, each one pass over memory, and
// the kernels their gradients run. The gradients are registered with tf.registerGradient in
// ../gradients.ts.
import {
  AlbertAddLayerNorm,
  type AlbertAddLayerNormAttrs,
  type AlbertAddLayerNormInputs,
  AlbertGelu,
  AlbertGeluGrad,
  type AlbertGeluGradInputs,
  type AlbertGeluInputs,
  AlbertGeluNew,
  AlbertGeluNewGrad,
  AlbertLayerNorm,
  type AlbertLayerNormAttrs,
  AlbertLayerNormGrad,
  type AlbertLayerNormGradAttrs,
  type AlbertLayerNormGradInputs,
  type AlbertLayerNormInputs,
  AlbertMaskedSoftmax,
  type AlbertMaskedSoftmaxAttrs,
  AlbertMaskedSoftmaxGrad,
  type AlbertMaskedSoftmaxGradAttrs,
  type AlbertMaskedSoftmaxGradInputs,
  type AlbertMaskedSoftmaxInputs,
} from '@albert-ts/common';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelError } from '../../errors.js';
import type { NativeBackend } from '../backend.js';
import { BinaryOp, UnaryOp } from '../op-codes.js';
import { denseKernels } from './dense.js';
import { dropoutKernels } from './dropout.js';
import { optimizerKernels } from './optimizer.js';
import { f32, isF32, type NativeKernel, size } from './util.js';

function requireF32(backend: NativeBackend, name: string, ...ts: TensorInfo[]): void {
  if (!isF32(backend, ...ts))
    throw new KernelError(`${name} takes float32 tensors, got ${ts.map((t) => t.dtype).join(', ')}: cast them first`);
}

function checkNorm(name: string, x: TensorInfo, gamma: TensorInfo, beta?: TensorInfo): number {
  const cols = x.shape[x.shape.length - 1] ?? 0;
  if (x.shape.length === 0 || cols === 0)
    throw new KernelError(`${name}: x must have a non-empty last axis (the normalised one), got [${x.shape}]`);
  if (size(gamma.shape) !== cols || (beta != null && size(beta.shape) !== cols)) {
    throw new KernelError(`${name}: gamma and beta must have ${cols} values (x's last axis), got [${gamma.shape}]`);
  }
  return cols;
}

const layerNorm: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x, gamma, beta } = args.inputs as unknown as AlbertLayerNormInputs<TensorInfo>;
  const { epsilon } = args.attrs as unknown as AlbertLayerNormAttrs;
  requireF32(backend, AlbertLayerNorm, x, gamma, beta);
  const cols = checkNorm(AlbertLayerNorm, x, gamma, beta);
  const y = backend.allocF32(size(x.shape));
  backend.addon.layerNorm(f32(backend, x), f32(backend, gamma), f32(backend, beta), y, cols, epsilon);
  return backend.makeTensorInfo(x.shape, 'float32', y);
};

// AlbertAddLayerNorm {x, residual, gamma, beta} {epsilon}: layerNorm(x + residual), the sum
// written into the output and normalised there (one kernel instead of Add + AlbertLayerNorm).
const addLayerNorm: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x, residual, gamma, beta } = args.inputs as unknown as AlbertAddLayerNormInputs<TensorInfo>;
  const { epsilon } = args.attrs as unknown as AlbertAddLayerNormAttrs;
  requireF32(backend, AlbertAddLayerNorm, x, residual, gamma, beta);
  const cols = checkNorm(AlbertAddLayerNorm, x, gamma, beta);
  if (residual.shape.length !== x.shape.length || residual.shape.some((d, i) => d !== x.shape[i])) {
    throw new KernelError(`AlbertAddLayerNorm: residual [${residual.shape}] must have x's shape [${x.shape}]`);
  }
  const y = backend.allocF32(size(x.shape));
  backend.addon.addLayerNorm(
    f32(backend, x),
    f32(backend, residual),
    f32(backend, gamma),
    f32(backend, beta),
    y,
    cols,
    epsilon,
  );
  return backend.makeTensorInfo(x.shape, 'float32', y);
};

// AlbertMaskedSoftmax {scores, mask} {scale}: softmax(scores * scale + mask) over the last axis,
// one pass. scores [b, h, s, s]; mask [b, 1, 1, s] (or [b, s]): one mask row per batch item,
// shared by that item's heads and query rows.
const maskedSoftmax: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { scores, mask } = args.inputs as unknown as AlbertMaskedSoftmaxInputs<TensorInfo>;
  const { scale } = args.attrs as unknown as AlbertMaskedSoftmaxAttrs;
  requireF32(backend, AlbertMaskedSoftmax, scores, mask);
  const cols = scores.shape[scores.shape.length - 1] ?? 0;
  const batch = scores.shape[0] ?? 0;
  const ok =
    scores.shape.length >= 2 &&
    cols > 0 &&
    mask.shape[0] === batch &&
    mask.shape[mask.shape.length - 1] === cols &&
    size(mask.shape) === batch * cols;
  if (!ok) {
    throw new KernelError(
      `AlbertMaskedSoftmax: mask [${mask.shape}] must hold one row of ${cols} values per batch item of scores [${scores.shape}]`,
    );
  }
  const y = backend.allocF32(size(scores.shape));
  backend.addon.maskedSoftmax(f32(backend, scores), f32(backend, mask), y, cols, scale);
  return backend.makeTensorInfo(scores.shape, 'float32', y);
};

// AlbertMaskedSoftmaxGrad {dy, y} {scale}: the scores' gradient of AlbertMaskedSoftmax,
// scale * y * (dy - sum(dy * y)) per row, in one pass plus an in-place scaling (the composite is
// five kernels over the [b, h, s, s] probabilities).
const maskedSoftmaxGrad: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { dy, y } = args.inputs as unknown as AlbertMaskedSoftmaxGradInputs<TensorInfo>;
  const { scale } = args.attrs as unknown as AlbertMaskedSoftmaxGradAttrs;
  requireF32(backend, AlbertMaskedSoftmaxGrad, dy, y);
  const cols = y.shape[y.shape.length - 1] ?? 0;
  if (cols === 0 || size(dy.shape) !== size(y.shape)) {
    throw new KernelError(`AlbertMaskedSoftmaxGrad: dy [${dy.shape}] and y [${y.shape}] must have one non-empty shape`);
  }
  const dx = backend.allocF32(size(y.shape));
  backend.addon.softmaxGrad(f32(backend, dy), f32(backend, y), dx, cols);
  if (scale !== 1) backend.addon.binary(BinaryOp.Mul, dx, [dx.length], new Float32Array([scale]), [], dx, [dx.length]);
  return backend.makeTensorInfo(y.shape, 'float32', dx);
};

// One output per call: 'x' -> dx [..., cols]; 'params' -> [2, cols], dgamma then dbeta (one pass
// computes both). A gradient function must return each input's gradient from its own call (tfjs
// disposes what a call creates but does not return), so the gradients slice 'params' apart.
const layerNormGrad: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { dy, x, gamma } = args.inputs as unknown as AlbertLayerNormGradInputs<TensorInfo>;
  const { epsilon, output } = args.attrs as unknown as AlbertLayerNormGradAttrs;
  requireF32(backend, AlbertLayerNormGrad, dy, x, gamma);
  const cols = checkNorm(AlbertLayerNormGrad, x, gamma);
  const xs = f32(backend, x);
  if (output === 'x') {
    const dx = backend.allocF32(size(x.shape));
    backend.addon.layerNormGradX(f32(backend, dy), xs, f32(backend, gamma), dx, cols, epsilon);
    return backend.makeTensorInfo(x.shape, 'float32', dx);
  }
  if (output !== 'params')
    throw new KernelError(`AlbertLayerNormGrad: attr output must be 'x' or 'params', got '${output}'`);
  const params = backend.allocF32(2 * cols);
  backend.addon.layerNormGradParams(
    f32(backend, dy),
    xs,
    params.subarray(0, cols),
    params.subarray(cols),
    cols,
    epsilon,
  );
  return backend.makeTensorInfo([2, cols], 'float32', params);
};

function geluKernel(name: string, op: number): NativeKernel {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as unknown as AlbertGeluInputs<TensorInfo>;
    requireF32(backend, name, x);
    const y = backend.allocF32(size(x.shape));
    backend.addon.unary(op, f32(backend, x), y, 0);
    return backend.makeTensorInfo(x.shape, 'float32', y);
  };
  return { kernelName: name, kernelFunc };
}

function geluGradKernel(name: string, tanhForm: boolean): NativeKernel {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as NativeBackend;
    const { dy, x } = args.inputs as unknown as AlbertGeluGradInputs<TensorInfo>;
    requireF32(backend, name, dy, x);
    const dx = backend.allocF32(size(x.shape));
    backend.addon.geluGrad(f32(backend, dy), f32(backend, x), dx, tanhForm);
    return backend.makeTensorInfo(x.shape, 'float32', dx);
  };
  return { kernelName: name, kernelFunc };
}

export const albertKernels: NativeKernel[] = [
  { kernelName: AlbertLayerNorm, kernelFunc: layerNorm },
  { kernelName: AlbertLayerNormGrad, kernelFunc: layerNormGrad },
  { kernelName: AlbertAddLayerNorm, kernelFunc: addLayerNorm },
  { kernelName: AlbertMaskedSoftmax, kernelFunc: maskedSoftmax },
  { kernelName: AlbertMaskedSoftmaxGrad, kernelFunc: maskedSoftmaxGrad },
  geluKernel(AlbertGelu, UnaryOp.Gelu),
  geluKernel(AlbertGeluNew, UnaryOp.GeluNew),
  geluGradKernel(AlbertGeluGrad, false),
  geluGradKernel(AlbertGeluNewGrad, true),
  ...denseKernels,
  ...dropoutKernels,
  ...optimizerKernels,
];
