// The 'native' tfjs backend: the cpu backend's data storage (plain typed arrays, so the
// addon works on them in place), plus a cache of weight matrices packed for the GEMM.

import { totalmem } from 'node:os';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { backend_util, DataType } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';

type DataId = object;

// A Float32Array this backend allocated for a kernel output: how many stored tensors use
// its buffer, and whether it was handed to user code (read/readSync return it as is).
interface Owned {
  refs: number;
  escaped: boolean;
}

// Outputs of disposed tensors are kept for reuse up to this many bytes: a forward pass
// allocates the same shapes every time, and fresh multi-megabyte ArrayBuffers make V8 run a
// full GC every few kernels (external memory pressure). A training step's working set must fit,
// or every step allocates (and page-faults) it afresh: a 2-layer base-width step at batch 4
// frees ~310 MiB per step, the small pretraining config (H 256, 6 layers, vocab 16k) at batch
// 32 × 128 ~1.5 GiB (with a 1 GiB cap it allocated ~800 MB afresh every step). So: a quarter of
// the machine's memory, at least 1 GiB and at most 4 GiB; ALBERT_TS_NATIVE_FREE_MB sets it.
function maxFreeBytes(): number {
  const mb = Number(process.env.ALBERT_TS_NATIVE_FREE_MB);
  if (Number.isFinite(mb) && mb >= 0) return mb * 2 ** 20;
  return Math.min(4 * 2 ** 30, Math.max(2 ** 30, totalmem() / 4));
}
const MAX_FREE_BYTES = maxFreeBytes();

const HUGE_FROM_BYTES = 2 << 20;

// Node's Buffer.allocUnsafeSlow: memory that is not zeroed first (a kernel overwrites all of its
// output). For a 15 MB gradient, zeroing costs as much as the kernel that fills it.
const allocUnsafe = (globalThis as { Buffer?: { allocUnsafeSlow(bytes: number): Uint8Array } }).Buffer?.allocUnsafeSlow;

// Size classes for output arrays of at least 16,384 floats: four per doubling, so a buffer is at
// most 25% larger than asked. Shapes that change a little from one batch to the next (pretraining's
// [masked positions, vocab] logits, length-sorted inference batches) then reuse each other's
// buffers; with exact sizes each new shape was a fresh allocation whose pages fault in on first
// write — 80,000 page faults and 0.6 s of system time per second in a pretraining run.
const CLASS_MIN = 16384;
export function sizeClass(n: number): number {
  if (n < CLASS_MIN) return n;
  const step = 2 ** (Math.floor(Math.log2(n)) - 2);
  return Math.ceil(n / step) * step;
}

function uninitialisedF32(n: number): Float32Array {
  if (allocUnsafe == null || n < 16384) return new Float32Array(n);
  const bytes = allocUnsafe(n * 4); // its own ArrayBuffer, at offset 0 (never Node's shared pool)
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}

interface PackEntry {
  seen: number;
  packed?: Float32Array;
}

// An attention's [Wq | Wk | Wv] packed as one GEMM operand, keyed by the three weights' data.
interface QkvEntry {
  ids: [DataId, DataId, DataId];
  packed: Float32Array;
}

export class NativeBackend extends MathBackendCPU {
  readonly addon: NativeAddon;
  // B operands seen by matmul, keyed by their data. A matrix used as a shared B twice is
  // packed once and reused (weights); dropped when its data is disposed. Plain and transposed
  // uses are cached apart: training uses a weight both ways (x·W forward, dy·Wᵀ backward).
  private readonly packs = new Map<DataId, PackEntry>();
  private readonly packsT = new Map<DataId, PackEntry>();
  private packedBytes = 0;
  // Packed QKV weights, listed under each of their three dataIds (dropped when any is disposed).
  private readonly qkvPacks = new Map<DataId, QkvEntry[]>();
  private qkvBytes = 0;
  private readonly free = new Map<number, Float32Array[]>();
  // The same arrays in the order they were freed (a Set keeps insertion order): the oldest go first
  // when the cap is reached.
  private readonly freeOrder = new Set<Float32Array>();
  private freeBytes = 0;
  private readonly owned = new WeakMap<ArrayBufferLike, Owned>();

  constructor(addon: NativeAddon) {
    super();
    this.addon = addon;
    // The cpu backend's first write suggests installing tfjs-node; this backend is the answer.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** Packed form of `values` ([k, n], or [n, k] when transB), or null the first time it is seen. */
  packedB(dataId: DataId, values: Float32Array, transB: boolean, k: number, n: number): Float32Array | null {
    const packs = transB ? this.packsT : this.packs;
    const entry = packs.get(dataId);
    if (entry == null) {
      packs.set(dataId, { seen: 1 });
      return null;
    }
    if (entry.packed == null) {
      entry.packed = this.packedArray(this.addon.packedBSize(k, n));
      this.addon.packB(values, transB, k, n, entry.packed);
      this.packedBytes += entry.packed.byteLength;
    }
    entry.seen++;
    return entry.packed;
  }

  /**
   * Room for a packed weight: from 2 MiB on, on 2 MiB pages when the addon can map them
   * (ALBERT_TS_NATIVE_HUGE_PAGES=0 turns that off). A forward streams every weight of a layer from
   * memory (ALBERT-base's 28 MB do not stay in this machine's cache), and on 4 KiB pages every
   * 4 KiB of it is another TLB entry. Measured by `pnpm bench huge-pages` (two copies of ALBERT-base
   * in one process, forwards alternated, seq 28): typically 1-1.5% faster at batch 1, 8 and 32,
   * 0.97-1.03x over five runs.
   * Only packed weights: they never reach user code, which might transfer an output's buffer.
   */
  private packedArray(n: number): Float32Array {
    const wanted = n * 4 >= HUGE_FROM_BYTES && process.env.ALBERT_TS_NATIVE_HUGE_PAGES !== '0';
    const huge = wanted ? this.addon.hugeF32?.(n) : null;
    return huge ?? new Float32Array(n);
  }

  /** Bytes held by packed weights, single and QKV (for memory tests). */
  packedCacheBytes(): number {
    return this.packedBytes + this.qkvBytes;
  }

  /**
   * [wq | wk | wv] ([H, H] each, (in, out)) packed as one [H, 3H] GEMM operand. Packed on first
   * use (the concatenation has to be built anyway) and kept until any of the three is disposed.
   */
  packedQkv(
    ids: [DataId, DataId, DataId],
    wq: Float32Array,
    wk: Float32Array,
    wv: Float32Array,
    hidden: number,
  ): Float32Array {
    const hit = this.qkvPacks
      .get(ids[0])
      ?.find((e) => e.ids[1] === ids[1] && e.ids[2] === ids[2] && e.ids[0] === ids[0]);
    if (hit != null) return hit.packed;
    const packed = this.packedArray(this.addon.packedQkvSize(hidden));
    this.addon.packQkv(wq, wk, wv, hidden, packed);
    const entry: QkvEntry = { ids, packed };
    for (const id of new Set(ids)) {
      const list = this.qkvPacks.get(id);
      if (list == null) this.qkvPacks.set(id, [entry]);
      else list.push(entry);
    }
    this.qkvBytes += packed.byteLength;
    return packed;
  }

  /** Bytes held by packed QKV weights (for memory tests). */
  packedQkvBytes(): number {
    return this.qkvBytes;
  }

  /**
   * An output array of `n` floats (contents undefined): from 16,384 floats on, a view of a buffer
   * of n's size class, reused from a disposed tensor when one of that class is free.
   */
  allocF32(n: number): Float32Array {
    const size = sizeClass(n);
    const reused = this.free.get(size)?.pop();
    if (reused != null) {
      this.freeOrder.delete(reused);
      this.freeBytes -= reused.byteLength;
      this.owned.set(reused.buffer, { refs: 0, escaped: false });
      return size === n ? reused : new Float32Array(reused.buffer, 0, n);
    }
    const fresh = uninitialisedF32(size);
    this.owned.set(fresh.buffer, { refs: 0, escaped: false });
    return size === n ? fresh : new Float32Array(fresh.buffer, 0, n);
  }

  /** Bytes held for reuse (for memory tests). */
  freeListBytes(): number {
    return this.freeBytes;
  }

  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    this.track(values);
    return super.write(values, shape, dtype);
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const values = super.readSync(dataId);
    const own = this.ownerOf(this.data.get(dataId)?.values);
    if (own != null) own.escaped = true; // the caller may keep it: never reuse
    return values;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const freed = super.disposeData(dataId, force);
    if (freed) {
      this.forget(dataId);
      this.release(values);
    }
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
    this.track(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override dispose(): void {
    this.packs.clear();
    this.packsT.clear();
    this.packedBytes = 0;
    this.qkvPacks.clear();
    this.qkvBytes = 0;
    this.free.clear();
    this.freeOrder.clear();
    this.freeBytes = 0;
    super.dispose();
  }

  private ownerOf(values: unknown): Owned | undefined {
    return ArrayBuffer.isView(values) ? this.owned.get(values.buffer) : undefined;
  }

  // Every stored tensor whose values live in one of our buffers (the array itself or a view of
  // it, e.g. the cpu backend's contiguous Slice) holds a reference to that buffer.
  private track(values: unknown): void {
    const own = this.ownerOf(values);
    if (own != null) own.refs++;
  }

  private release(values: unknown): void {
    const own = this.ownerOf(values);
    if (own == null) return;
    own.refs--;
    if (own.refs > 0 || own.escaped || !ArrayBuffer.isView(values)) return;
    // No tensor views any part of the buffer and no caller was handed it: the whole buffer is free.
    const whole =
      values instanceof Float32Array && values.byteOffset === 0 && values.byteLength === values.buffer.byteLength
        ? values
        : new Float32Array(values.buffer);
    if (whole.byteLength > MAX_FREE_BYTES) return;
    // Room is made by dropping the arrays freed longest ago: sizes that stop recurring age out
    // instead of holding the cap for good (which left every newer size to fresh allocations).
    for (const old of this.freeOrder) {
      if (this.freeBytes + whole.byteLength <= MAX_FREE_BYTES) break;
      this.dropFree(old);
    }
    own.escaped = true; // not referenced by any tensor until allocF32 hands it out again
    let list = this.free.get(whole.length);
    if (list == null) this.free.set(whole.length, (list = []));
    list.push(whole);
    this.freeOrder.add(whole);
    this.freeBytes += whole.byteLength;
  }

  /** Forgets a free array (the garbage collector takes it). */
  private dropFree(values: Float32Array): void {
    this.freeOrder.delete(values);
    const list = this.free.get(values.length) as Float32Array[];
    list.splice(list.indexOf(values), 1);
    if (list.length === 0) this.free.delete(values.length);
    this.freeBytes -= values.byteLength;
  }

  private forget(dataId: DataId): void {
    this.forgetQkv(dataId);
    for (const packs of [this.packs, this.packsT]) {
      const entry = packs.get(dataId);
      if (entry == null) continue;
      if (entry.packed) this.packedBytes -= entry.packed.byteLength;
      packs.delete(dataId);
    }
  }

  private forgetQkv(dataId: DataId): void {
    const entries = this.qkvPacks.get(dataId);
    if (entries == null) return;
    for (const entry of [...entries]) {
      for (const id of new Set(entry.ids)) {
        const list = (this.qkvPacks.get(id) ?? []).filter((e) => e !== entry);
        if (list.length === 0) this.qkvPacks.delete(id);
        else this.qkvPacks.set(id, list);
      }
      this.qkvBytes -= entry.packed.byteLength;
    }
  }
}
