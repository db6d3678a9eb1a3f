// UnsortedSegmentSum for the tfjs cpu backend, replacing the stock kernel. GatherV2's gradient
// (every embedding lookup in an ALBERT training step) scatters through it:
// tfjs-backend-cpu 4.22 builds it from one masked sum per segment, O(numSegments × x.size):
// 52 s for 256 rows into a 30 000-row word-embedding table. This single pass is O(x.size).
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { type KernelConfig, type KernelFunc, type TensorInfo, UnsortedSegmentSum, util } from '@tensorflow/tfjs-core';
import { scatterAddRows, segmentSumShape } from '../segment-sum.js';

interface Args {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  backend: MathBackendCPU;
  attrs: { numSegments: number };
}

function unsortedSegmentSum({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  const shape = segmentSumShape(x, segmentIds, numSegments, 'cpu');
  const size = util.sizeFromShape(shape);
  const out = x.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  const xValues = backend.data.get(x.dataId).values as Float32Array | Int32Array;
  const ids = backend.data.get(segmentIds.dataId).values as Int32Array | Float32Array;
  scatterAddRows(xValues, ids, out, numSegments);
  return backend.makeTensorInfo(shape, x.dtype, out);
}

export const cpuUnsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'cpu',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
