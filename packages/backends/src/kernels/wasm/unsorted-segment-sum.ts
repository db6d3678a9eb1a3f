// UnsortedSegmentSum for the tfjs wasm backend, which ships none. GatherV2's gradient (the
// embedding lookups of every ALBERT training step) needs it:
//   out[segmentIds[i], ...] += x[i, ...]        out: [numSegments, ...x.shape.slice(rank(ids))]
// It reads and writes the backend's heap in place through typed-array views: no copies, no
// round trip through the cpu backend. Ids outside [0, numSegments) are dropped, as tfjs's cpu
// kernel does.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, type TensorInfo, UnsortedSegmentSum } from '@tensorflow/tfjs-core';
import { BackendError } from '../../errors.js';

interface Args {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  backend: BackendWasm;
  attrs: { numSegments: number };
}

function unsortedSegmentSum({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  const idRank = segmentIds.shape.length;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new BackendError(`UnsortedSegmentSum (wasm): x must be float32 or int32, got ${x.dtype}. Cast it first.`);
  }
  if (idRank > x.shape.length || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new BackendError(
      `UnsortedSegmentSum (wasm): segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}].`,
    );
  }
  const rowShape = x.shape.slice(idRank);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
  // Views are taken after the last allocation: growing the heap detaches older views.
  const outValues = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const xValues = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds);
  outValues.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= numSegments) continue;
    const src = i * rowSize;
    const dst = s * rowSize;
    for (let j = 0; j < rowSize; j++) (outValues[dst + j] as number) += xValues[src + j] as number;
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
