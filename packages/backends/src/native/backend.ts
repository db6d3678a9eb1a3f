// The 'native' tfjs backend: the cpu backend's data storage (plain typed arrays, so the
// addon works on them in place), plus a cache of weight matrices packed for the GEMM.

import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { backend_util, DataType } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';

type DataId = object;

interface PackEntry {
  seen: number;
  transB: boolean;
  packed?: Float32Array;
}

export class NativeBackend extends MathBackendCPU {
  readonly addon: NativeAddon;
  // B operands seen by matmul, keyed by their data. A matrix used as a shared B twice is
  // packed once and reused (weights); dropped when its data is disposed.
  private readonly packs = new Map<DataId, PackEntry>();
  private packedBytes = 0;

  constructor(addon: NativeAddon) {
    super();
    this.addon = addon;
    // The cpu backend's first write suggests installing tfjs-node; this backend is the answer.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** Packed form of `values` ([k, n], or [n, k] when transB), or null the first time it is seen. */
  packedB(dataId: DataId, values: Float32Array, transB: boolean, k: number, n: number): Float32Array | null {
    const entry = this.packs.get(dataId);
    if (entry == null || entry.transB !== transB) {
      if (entry?.packed) this.packedBytes -= entry.packed.byteLength;
      this.packs.set(dataId, { seen: 1, transB });
      return null;
    }
    if (entry.packed == null) {
      entry.packed = new Float32Array(this.addon.packedBSize(k, n));
      this.addon.packB(values, transB, k, n, entry.packed);
      this.packedBytes += entry.packed.byteLength;
    }
    entry.seen++;
    return entry.packed;
  }

  /** Bytes held by packed weights (for memory tests). */
  packedCacheBytes(): number {
    return this.packedBytes;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const freed = super.disposeData(dataId, force);
    if (freed) this.forget(dataId);
    return freed;
  }

  override move(
    dataId: DataId,
    values: backend_util.BackendValues,
    shape: number[],
    dtype: DataType,
    refCount: number,
  ): void {
    this.forget(dataId);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override dispose(): void {
    this.packs.clear();
    this.packedBytes = 0;
    super.dispose();
  }

  private forget(dataId: DataId): void {
    const entry = this.packs.get(dataId);
    if (entry == null) return;
    if (entry.packed) this.packedBytes -= entry.packed.byteLength;
    this.packs.delete(dataId);
  }
}
