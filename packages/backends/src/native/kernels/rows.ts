// Softmax over the last axis, reductions over a contiguous range of axes, transpose, slice.
import { backend_util, type KernelFunc, slice_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../backend.js';
import { ReduceOp } from '../op-codes.js';
import { cpuKernel, f32, isF32, type NativeKernel, size, values } from './util.js';

const cpuSoftmax = cpuKernel('Softmax');

const softmax: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { logits } = args.inputs as { logits: TensorInfo };
  const { dim } = args.attrs as { dim: number };
  const rank = logits.shape.length;
  const axis = dim < 0 ? dim + rank : dim;
  const cols = logits.shape[rank - 1] ?? 1;
  if (!isF32(backend, logits) || rank === 0 || axis !== rank - 1 || cols === 0) return cpuSoftmax(args);
  const y = backend.allocF32(size(logits.shape));
  backend.addon.softmax(f32(backend, logits), y, cols);
  return backend.makeTensorInfo(logits.shape, 'float32', y);
};

// ReduceOp codes of native/src/kernels.h.
function reduceKernel(name: 'Sum' | 'Mean' | 'Max' | 'Min', op: number): NativeKernel {
  const fallback = cpuKernel(name);
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as { axis?: number | number[]; keepDims?: boolean; reductionIndices?: number | number[] };
    const axisAttr = name === 'Max' ? attrs.reductionIndices : attrs.axis;
    if (!isF32(backend, x) || x.shape.length === 0) return fallback(args);
    // null/undefined axis: every axis (tfjs semantics)
    const axes = util.parseAxisParam(axisAttr as number | number[], x.shape).sort((p, q) => p - q);
    if (axes.length === 0) return fallback(args);
    const first = axes[0] as number;
    const last = axes[axes.length - 1] as number;
    if (last - first + 1 !== axes.length) return fallback(args); // not one contiguous range
    const outer = size(x.shape.slice(0, first));
    const reduce = size(x.shape.slice(first, last + 1));
    const inner = size(x.shape.slice(last + 1));
    if (reduce === 0) return fallback(args);
    const y = backend.allocF32(outer * inner);
    backend.addon.reduce(op, f32(backend, x), y, outer, reduce, inner);
    let shape = backend_util.computeOutAndReduceShapes(x.shape, axes)[0];
    if (attrs.keepDims) shape = backend_util.expandShapeToKeepDim(shape, axes);
    return backend.makeTensorInfo(shape, 'float32', y);
  };
  return { kernelName: name, kernelFunc };
}

const cpuTranspose = cpuKernel('Transpose');

const transpose: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x } = args.inputs as { x: TensorInfo };
  const { perm } = args.attrs as { perm: number[] };
  const v = values(backend, x);
  if (!(v instanceof Float32Array || v instanceof Int32Array) || x.shape.length === 0) return cpuTranspose(args);
  const shape = perm.map((p) => x.shape[p] as number);
  const y = v instanceof Float32Array ? backend.allocF32(v.length) : new Int32Array(v.length);
  if (v.length > 0) backend.addon.transpose(v, y, x.shape, perm);
  return backend.makeTensorInfo(shape, x.dtype, y);
};

const cpuSlice = cpuKernel('Slice');

// A contiguous slice stays the cpu kernel's (a view, no copy); a strided one is copied natively.
const slice: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x } = args.inputs as { x: TensorInfo };
  const { begin, size: sizeAttr } = args.attrs as { begin: number | number[]; size: number | number[] };
  const v = values(backend, x);
  if (!(v instanceof Float32Array || v instanceof Int32Array) || x.shape.length === 0) return cpuSlice(args);
  const [b, s] = slice_util.parseSliceParams(x as never, begin, sizeAttr) as [number[], number[]];
  slice_util.assertParamsValid(x as never, b, s);
  if (size(s) === 0 || slice_util.isSliceContinous(x.shape, b, s)) return cpuSlice(args);
  const y = v instanceof Float32Array ? backend.allocF32(size(s)) : new Int32Array(size(s));
  backend.addon.slice(v, y, x.shape, b, s);
  return backend.makeTensorInfo(s, x.dtype, y);
};

// SplitV as slices along the axis, each through the kernel above (the cpu kernel's own slices are
// its scalar strided path: 85 ms for a [256, 768] weight split in three along the columns, the
// gradient of a concatenated Q/K/V weight).
const splitV: KernelFunc = (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number | number[] };
  const ax = util.parseAxisParam(axis, x.shape)[0] as number;
  const sizes = backend_util.prepareSplitSize(x as never, numOrSizeSplits, ax);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const sliceSize = [...x.shape];
    sliceSize[ax] = s;
    const out = slice({
      inputs: { x },
      backend: args.backend,
      attrs: { begin: [...begin], size: sliceSize },
    }) as TensorInfo;
    begin[ax] = (begin[ax] as number) + s;
    return out;
  });
};

export const rowKernels: NativeKernel[] = [
  { kernelName: 'Softmax', kernelFunc: softmax },
  reduceKernel('Sum', ReduceOp.Sum),
  reduceKernel('Mean', ReduceOp.Mean),
  reduceKernel('Max', ReduceOp.MaxR),
  reduceKernel('Min', ReduceOp.MinR),
  { kernelName: 'Transpose', kernelFunc: transpose },
  { kernelName: 'Slice', kernelFunc: slice },
  { kernelName: 'SplitV', kernelFunc: splitV },
];
