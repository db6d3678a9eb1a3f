// GatherV2 (embedding lookup) and UnsortedSegmentSum (its gradient: scatter-add of rows).
import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
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
    if (bad != null) throw new Error(`GatherV2: the index value ${bad} is not in [0, ${axisDim - 1}]`);
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
  if (inner > 0 && ids.length > 0) backend.addon.segmentSum(f32(backend, x), ids, out, inner, numSegments);
  return backend.makeTensorInfo(shape, 'float32', out);
};

export const gatherKernels: NativeKernel[] = [
  { kernelName: 'GatherV2', kernelFunc: gatherV2 },
  { kernelName: 'UnsortedSegmentSum', kernelFunc: unsortedSegmentSum },
];
