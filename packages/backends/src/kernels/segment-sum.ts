// The scatter-add behind UnsortedSegmentSum, shared by the cpu and wasm kernels:
//   out[segmentIds[i], ...] += x[i, ...]        out: [numSegments, ...x.shape.slice(rank(ids))]
// One pass over x. Ids outside [0, numSegments) are dropped, as tfjs's kernels do.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';

type Values = Float32Array | Int32Array;

/** Checks the inputs and returns the output shape; `where` names the backend in errors. */
export function segmentSumShape(x: TensorInfo, segmentIds: TensorInfo, numSegments: number, where: string): number[] {
  const idRank = segmentIds.shape.length;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new BackendError(`UnsortedSegmentSum (${where}): x must be float32 or int32, got ${x.dtype}. Cast it first.`);
  }
  if (idRank > x.shape.length || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new BackendError(
      `UnsortedSegmentSum (${where}): segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}].`,
    );
  }
  return [numSegments, ...x.shape.slice(idRank)];
}

/** Adds each row of `x` into `out` (zeroed here) at its segment id. */
export function scatterAddRows(x: Values, ids: ArrayLike<number>, out: Values, numSegments: number): void {
  const rowSize = numSegments === 0 ? 0 : out.length / numSegments;
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= numSegments) continue;
    const src = i * rowSize;
    const dst = s * rowSize;
    for (let j = 0; j < rowSize; j++) (out[dst + j] as number) += x[src + j] as number;
  }
}
