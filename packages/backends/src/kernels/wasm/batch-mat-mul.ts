// The wasm backend's BatchMatMul (XNNPACK underneath) is fast for plain products but 10–40x
// slower when transposeA or transposeB is set, and every matMul gradient sets one of them
// (dA = dY·Bᵀ, dB = Aᵀ·dY). This wrapper transposes the flagged operand explicitly with the
// wasm Transpose kernel and calls the original kernel with both flags off. Measured on a
// 2-layer base-width ALBERT training step (batch 4 x 128): 92-96 s -> 4.1-4.9 s.
// _FusedMatMul gets the same treatment (tf.fused.matMul with transposes).

import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BackendError } from '../../errors.js';

interface MatMulAttrs extends NamedAttrMap {
  transposeA: boolean;
  transposeB: boolean;
}

/** Swap the last two axes with the backend's own Transpose kernel. */
function transposeLast2(x: TensorInfo, backend: BackendWasm): TensorInfo {
  const transpose = getKernel('Transpose', 'wasm');
  if (transpose == null) {
    throw new BackendError(
      "the wasm backend's Transpose kernel is not registered: import '@tensorflow/tfjs-backend-wasm' first",
    );
  }
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
}

/** Wraps `original` (a wasm matmul-like kernel with inputs a, b) so it never sees transpose flags. */
export function explicitTransposeMatMul(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs as MatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
    const backend = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const temps: TensorInfo[] = [];
    const aPlain = attrs.transposeA ? transposeLast2(a, backend) : a;
    const bPlain = attrs.transposeB ? transposeLast2(b, backend) : b;
    if (aPlain !== a) temps.push(aPlain);
    if (bPlain !== b) temps.push(bPlain);
    try {
      return original.kernelFunc({
        ...args,
        inputs: { ...args.inputs, a: aPlain, b: bPlain },
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  return { ...original, kernelFunc };
}
