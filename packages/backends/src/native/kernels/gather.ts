// GatherV2 (embedding lookup), UnsortedSegmentSum (its gradient: scatter-add of rows) and OneHot.
import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { KernelError } from '../../errors.js';
import type { NativeBackend } from '../backend.js';
import { cpuKernel, f32, isF32, type NativeKernel, size, values } from './util.js';

const cpuGather = cpuKernel('GatherV2');

const gatherV2: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
  const { axis, batchDims } = args.attrs as { axis: number; batchDims?: number };
  const v = values(backend, x);
  const idx = values(backend, indices);
  if (
    (batchDims ?? 0) !== 0 ||
    !(v instanceof Float32Array || v instanceof Int32Array) ||
    !(idx instanceof Int32Array)
  ) {
    return cpuGather(args);
  }
  const ax = util.parseAxisParam(axis, x.shape)[0] as number;
  const axisDim = x.shape[ax] as number;
  const outer = size(x.shape.slice(0, ax));
  const inner = size(x.shape.slice(ax + 1));
  const shape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
  const out = v instanceof Float32Array ? backend.allocF32(size(shape)) : new Int32Array(size(shape));
  try {
    backend.addon.gather(v, idx, out, outer, axisDim, inner);
  } catch (err) {
    // Same message as the cpu backend, e.g. for an out-of-vocabulary token id.
    const bad = idx.find((i) => i < 0 || i >= axisDim);
    if (bad != null) throw new KernelError(`GatherV2: the index value ${bad} is not in [0, ${axisDim - 1}]`);
    throw err;
  }
  return backend.makeTensorInfo(shape, x.dtype, out);
};

const cpuSegmentSum = cpuKernel('UnsortedSegmentSum');

const unsortedSegmentSum: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = args.attrs as { numSegments: number };
  const ids = values(backend, segmentIds);
  if (!isF32(backend, x) || !(ids instanceof Int32Array) || segmentIds.shape.length !== 1 || x.shape.length < 1) {
    return cpuSegmentSum(args);
  }
  const inner = size(x.shape.slice(1));
  const shape = [numSegments, ...x.shape.slice(1)];
  const out = backend.allocF32(size(shape));
  // allocF32's contents are undefined: with no rows the sums are zeros written here
  if (inner > 0 && ids.length > 0) backend.addon.segmentSum(f32(backend, x), ids, out, inner, numSegments);
  else out.fill(0);
  return backend.makeTensorInfo(shape, 'float32', out);
};

// OneHot as the cpu kernel computes it (float values whatever the dtype), into a reused output
// array: a [73, 30000] label matrix (an MLM loss) is 8.8 MB that the cpu kernel allocates zeroed
// and then fills again, every step.
const oneHot: KernelFunc = (args) => {
  const backend = args.backend as NativeBackend;
  const { indices } = args.inputs as { indices: TensorInfo };
  const { dtype, depth, onValue, offValue } = args.attrs as {
    dtype: 'int32' | 'float32';
    depth: number;
    onValue: number;
    offValue: number;
  };
  const idx = values(backend, indices) as ArrayLike<number>;
  const n = size(indices.shape);
  const out = backend.allocF32(n * depth);
  out.fill(offValue);
  for (let i = 0; i < n; i++) {
    const j = idx[i] as number;
    if (j >= 0 && j < depth) out[i * depth + j] = onValue;
  }
  return backend.makeTensorInfo([...indices.shape, depth], dtype, out);
};

export const gatherKernels: NativeKernel[] = [
  { kernelName: 'GatherV2', kernelFunc: gatherV2 },
  { kernelName: 'UnsortedSegmentSum', kernelFunc: unsortedSegmentSum },
  { kernelName: 'OneHot', kernelFunc: oneHot },
];
