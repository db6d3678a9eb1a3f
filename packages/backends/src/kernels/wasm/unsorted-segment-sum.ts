// UnsortedSegmentSum for the tfjs wasm backend, which ships none. GatherV2's gradient (the
// embedding lookups of every ALBERT training step) needs it:
//   out[segmentIds[i], ...] += x[i, ...]        out: [numSegments, ...x.shape.slice(rank(ids))]
// It reads and writes the backend's heap in place through typed-array views: no copies, no
// round trip through the cpu backend. Ids outside [0, numSegments) are dropped, as tfjs's cpu
// kernel does.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, type TensorInfo, UnsortedSegmentSum } from '@tensorflow/tfjs-core';
import { scatterAddRows, segmentSumShape } from '../segment-sum.js';

interface Args {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  backend: BackendWasm;
  attrs: { numSegments: number };
}

function unsortedSegmentSum({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  const out = backend.makeOutput(segmentSumShape(x, segmentIds, numSegments, 'wasm'), x.dtype);
  // Views are taken after the last allocation: growing the heap detaches older views.
  const outValues = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const xValues = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  scatterAddRows(xValues, backend.typedArrayFromHeap(segmentIds), outValues, numSegments);
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
