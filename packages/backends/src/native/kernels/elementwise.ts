// Element-wise kernels: unary math, broadcasting binary arithmetic, AddN.
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../backend.js';
import { BinaryOp, UnaryOp } from '../op-codes.js';
import { cpuKernel, f32, isF32, type NativeKernel, size } from './util.js';

// tfjs kernel name -> the addon's op.
const UNARY: Record<string, number> = {
  Neg: UnaryOp.Neg,
  Exp: UnaryOp.Exp,
  Tanh: UnaryOp.Tanh,
  Erf: UnaryOp.Erf,
  Sqrt: UnaryOp.Sqrt,
  Rsqrt: UnaryOp.Rsqrt,
  Square: UnaryOp.Square,
  Abs: UnaryOp.Abs,
  Relu: UnaryOp.Relu,
  Sigmoid: UnaryOp.Sigmoid,
  Reciprocal: UnaryOp.Reciprocal,
  Relu6: UnaryOp.Relu6,
  Elu: UnaryOp.Elu,
  LeakyRelu: UnaryOp.LeakyRelu,
};

const BINARY: Record<string, number> = {
  Add: BinaryOp.Add,
  Sub: BinaryOp.Sub,
  Multiply: BinaryOp.Mul,
  RealDiv: BinaryOp.Div,
  Maximum: BinaryOp.Max,
  Minimum: BinaryOp.Min,
  SquaredDifference: BinaryOp.SquaredDiff,
};

export function nativeUnary(backend: NativeBackend, op: number, x: TensorInfo, alpha = 0): TensorInfo {
  const y = backend.allocF32(size(x.shape));
  backend.addon.unary(op, f32(backend, x), y, alpha);
  return backend.makeTensorInfo(x.shape, 'float32', y);
}

export function nativeBinary(backend: NativeBackend, op: number, a: TensorInfo, b: TensorInfo): TensorInfo {
  const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const y = backend.allocF32(size(shape));
  backend.addon.binary(op, f32(backend, a), a.shape, f32(backend, b), b.shape, y, shape);
  return backend.makeTensorInfo(shape, 'float32', y);
}

function unaryKernel(name: string, op: number): NativeKernel {
  const fallback = cpuKernel(name);
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as NativeBackend;
    const x = (args.inputs as { x: TensorInfo }).x;
    if (!isF32(backend, x)) return fallback(args);
    const alpha = name === 'LeakyRelu' ? ((args.attrs as { alpha: number }).alpha ?? 0.2) : 0;
    return nativeUnary(backend, op, x, alpha);
  };
  return { kernelName: name, kernelFunc };
}

function binaryKernel(name: string, op: number): NativeKernel {
  const fallback = cpuKernel(name);
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as NativeBackend;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (!isF32(backend, a, b)) return fallback(args);
    return nativeBinary(backend, op, a, b);
  };
  return { kernelName: name, kernelFunc };
}

const cpuPow = cpuKernel('Pow');

// x ** c for the constant exponents models use (GELU's x³, x², √x, 1/√x); others run on cpu.
const POW_AS_UNARY: Record<number, number> = {
  2: UnaryOp.Square,
  3: UnaryOp.Cube,
  0.5: UnaryOp.Sqrt,
  [-0.5]: UnaryOp.Rsqrt,
};

const pow: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  if (!isF32(backend, a, b) || size(b.shape) !== 1 || b.shape.length > a.shape.length) return cpuPow(args);
  const op = POW_AS_UNARY[f32(backend, b)[0] as number];
  if (op == null) return cpuPow(args);
  return nativeUnary(backend, op, a); // b has one value and no more dims than a: a's shape
};

const cpuAddN = cpuKernel('AddN');

// Sum of same-shape tensors (gradient accumulation), added in place into one output.
const addN: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const tensors = args.inputs as unknown as TensorInfo[];
  const first = tensors[0];
  if (first == null || !isF32(backend, ...tensors) || tensors.some((t) => t.shape.join() !== first.shape.join())) {
    return cpuAddN(args);
  }
  const y = backend.allocF32(size(first.shape));
  y.set(f32(backend, first));
  for (let i = 1; i < tensors.length; i++) {
    backend.addon.binary(
      BinaryOp.Add,
      y,
      first.shape,
      f32(backend, tensors[i] as TensorInfo),
      first.shape,
      y,
      first.shape,
    );
  }
  return backend.makeTensorInfo(first.shape, 'float32', y);
};

export const elementwiseKernels: NativeKernel[] = [
  ...Object.entries(UNARY).map(([name, op]) => unaryKernel(name, op)),
  ...Object.entries(BINARY).map(([name, op]) => binaryKernel(name, op)),
  { kernelName: 'AddN', kernelFunc: addN },
  { kernelName: 'Pow', kernelFunc: pow },
];
