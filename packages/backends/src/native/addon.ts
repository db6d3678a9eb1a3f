// Loads the N-API addon: the one compiled here by scripts/build-native.mjs (native/build/Release)
// first, else the prebuilt one shipped in the package (prebuilds/<platform>-<arch>/, made by
// scripts/prebuild.mjs) when it is current and intact. When neither is there, the error says why
// in one line (the build's BUILD_FAILED.txt, the prebuild's problem), so the backend selector can
// report it and fall back to wasm.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADDON_FILE, checkPrebuild } from '../../scripts/prebuilds.mjs';
import { BackendError } from '../errors.js';

type F32 = Float32Array;
type Any32 = Float32Array | Int32Array | Uint32Array;
type Nullable<T> = T | null;
/** A low-precision code path (native/src/lowp.h). */
export type LowPrecisionPath = 'scalar' | 'avx2' | 'avx512';

/** The addon's functions; every array is worked on in place. See native/src/addon.cc. */
export interface NativeAddon {
  info(): {
    isa: 'avx512' | 'avx2' | 'baseline';
    detectedIsa: string;
    threads: number;
    /** How the pool deals a job's chunks (setDealing). */
    dealing: 'owned' | 'shared';
    mr: number;
    nr: number;
    /** The low-precision paths in use (native/src/lowp.h; capped by `isa`) and every one this CPU can run. */
    q8Path?: LowPrecisionPath;
    bf16Path?: LowPrecisionPath;
    q8Paths?: LowPrecisionPath[];
    bf16Paths?: LowPrecisionPath[];
  };
  /** The pool's size, for the whole process (1: no worker threads). */
  setThreads(n: number): void;
  /**
   * For jobs submitted from the calling JS thread (each Node worker_thread has its own): 1 = run
   * them on this thread alone, n > 1 = on the pool (grown to at least n), 0 = no limit. info().threads
   * is what the calling thread gets.
   */
  setThreadLimit(n: number): void;
  /**
   * How the pool deals a job's chunks, for the whole process: 'owned' (default) = each thread
   * first runs its own contiguous share, so a cached weight's same columns stay on the same core
   * from call to call, then helps with the others'; 'shared' = one counter for all threads.
   * `ALBERT_TS_NATIVE_DEALING=shared` sets the default.
   */
  setDealing(mode: 'owned' | 'shared'): void;
  /**
   * Runs one job of `tasks` chunks on the pool and says which thread ran each chunk (0 = the
   * calling thread) and in what order they started; `wait` makes chunks wait for one another
   * (native/src/pool_trace.h). For tests of the dealing.
   */
  poolTrace(tasks: number, wait: 'none' | 'meet' | 'stall'): { thread: Int32Array; order: Int32Array };
  /**
   * Measured giga-ops/s of the calling thread for one instruction (native/src/peak.h): a timed
   * loop of independent multiply-adds (2 ops each) on thread CPU time, summed over `threads` pool
   * threads running at once (-1 when they could not); 0 when the CPU lacks it.
   */
  peakOps?(kind: 'fp32-avx512' | 'fp32-avx2' | 'int8-vnni' | 'bf16-avx512', reps: number, threads?: number): number;
  /** Core clock in GHz, measured with a chain of dependent adds (0 if not measurable). */
  cpuGhz(): number;
  /**
   * A zero-filled Float32Array of `n` floats on 2 MiB pages (transparent huge pages, Linux), given
   * back when it is garbage collected; null when the memory could not be mapped. Absent in older builds.
   */
  hugeF32?(n: number): Float32Array | null;
  packedBSize(k: number, n: number): number;
  packB(b: F32, transB: boolean, k: number, n: number, out: F32): void;
  gemm(
    a: F32,
    b: F32,
    c: F32,
    batch: number,
    m: number,
    n: number,
    k: number,
    aStride: number,
    bStride: number,
    transA: boolean,
    transB: boolean,
    bPacked: Nullable<F32>,
    bias: Nullable<F32>,
    act: number,
    alpha: number,
  ): void;
  unary(op: number, x: F32, y: F32, alpha: number): void;
  binary(op: number, a: F32, aShape: number[], b: F32, bShape: number[], y: F32, yShape: number[]): void;
  geluGrad(dy: F32, x: F32, dx: F32, tanhForm: boolean): void;
  softmax(x: F32, y: F32, cols: number): void;
  maskedSoftmax(x: F32, mask: F32, y: F32, cols: number, scale: number): void;
  softmaxGrad(dy: F32, y: F32, dx: F32, cols: number): void;
  layerNorm(x: F32, gamma: F32, beta: F32, y: F32, cols: number, eps: number): void;
  addLayerNorm(x: F32, residual: F32, gamma: F32, beta: F32, y: F32, cols: number, eps: number): void;
  layerNormGradX(dy: F32, x: F32, gamma: F32, dx: F32, cols: number, eps: number): void;
  layerNormGradParams(dy: F32, x: F32, dgamma: F32, dbeta: F32, cols: number, eps: number): void;
  reduce(op: number, x: F32, y: F32, outer: number, reduce: number, inner: number): void;
  transpose(x: Any32, y: Any32, shape: number[], perm: number[]): void;
  slice(x: Any32, y: Any32, shape: number[], begin: number[], size: number[]): void;
  gather(params: Any32, indices: Int32Array, out: Any32, outer: number, axisDim: number, inner: number): void;
  segmentSum(data: F32, ids: Int32Array, out: F32, inner: number, segments: number): void;
  /** Inverted dropout, mask keyed by the 64-bit seed seedHi * 2^32 + seedLo (counter-based: reproducible). */
  dropout?(x: F32, y: F32, rate: number, seedLo: number, seedHi: number): void;
  /**
   * One Adam-family optimizer step (native/src/optim.h) into the three outputs; with `normsOut`
   * (3 floats) LAMB's trust ratio, and [‖w‖, ‖u‖, ratio] written there.
   */
  adamUpdate?(
    param: F32,
    grad: F32,
    m: F32,
    v: F32,
    paramOut: F32,
    mOut: F32,
    vOut: F32,
    normsOut: Nullable<F32>,
    beta1: number,
    beta2: number,
    epsilon: number,
    vScale: number,
    decayInUpdate: number,
    preScale: number,
    stepSize: number,
    postScale: number,
  ): void;
  /**
   * y = act(x · W + bias), W an int8 weight packed by @albert-ts/common's quantizeQ8; `path`
   * forces one of info().q8Paths (default: the active one).
   */
  q8Linear?(
    x: F32,
    weight: Int32Array,
    scale: F32,
    colSum: Int32Array,
    bias: Nullable<F32>,
    y: F32,
    m: number,
    k: number,
    n: number,
    act: number,
    path?: LowPrecisionPath,
  ): void;
  /** y = act(x · W + bias), W packed bf16 by @albert-ts/common's packBf16. */
  bf16Linear?(
    x: F32,
    weight: Int32Array,
    bias: Nullable<F32>,
    y: F32,
    m: number,
    k: number,
    n: number,
    act: number,
    path?: LowPrecisionPath,
  ): void;
  /** selfAttention with the packed [H, 3H] projection in q8 (kind 1, with scale and colSum) or bf16 (kind 2). */
  selfAttentionLowp?(
    kind: 1 | 2,
    x: F32,
    weight: Int32Array,
    scale: Nullable<F32>,
    colSum: Nullable<Int32Array>,
    bias: F32,
    mask: F32,
    out: F32,
    batch: number,
    seq: number,
    hidden: number,
    heads: number,
    softmaxScale: number,
    path?: LowPrecisionPath,
  ): void;
  packedQkvSize(hidden: number): number;
  packQkv(wq: F32, wk: F32, wv: F32, hidden: number, out: F32): void;
  selfAttention(
    x: F32,
    qkvPacked: F32,
    bq: F32,
    bk: F32,
    bv: F32,
    mask: F32,
    out: F32,
    batch: number,
    seq: number,
    hidden: number,
    heads: number,
    scale: number,
  ): void;
}

/** The folder holding binding.gyp and build/ (packages/backends/native). */
export const defaultNativeDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native');

/** Where an addon came from: compiled on this machine, or the package's prebuilt binary. */
export type NativeAddonOrigin = 'built here' | 'prebuilt';

const loaded = new Map<string, NativeAddon>();
const origins = new WeakMap<NativeAddon, { origin: NativeAddonOrigin; file: string }>();

/**
 * Loads the addon of the native folder `dir` (default: $ALBERT_TS_NATIVE_DIR, else the package's
 * native/): its build/Release/albert_native.node, else the prebuilt one in `prebuildsDir`
 * (default: prebuilds/ beside `dir`). Throws a BackendError that says why in one line.
 */
export function loadNativeAddon(
  dir: string = process.env.ALBERT_TS_NATIVE_DIR || defaultNativeDir,
  prebuildsDir: string = join(dir, '..', 'prebuilds'),
): NativeAddon {
  const key = `${dir}\0${prebuildsDir}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  if (typeof process === 'undefined' || process.versions?.node == null) {
    throw new BackendError('The native backend needs Node.js.');
  }
  const built = join(dir, 'build', 'Release', ADDON_FILE);
  const prebuild = existsSync(built) ? null : usablePrebuild(dir, prebuildsDir);
  const file = prebuild == null ? built : prebuild.file;
  if (prebuild?.reason != null) {
    const failFile = join(dir, 'build', 'BUILD_FAILED.txt');
    const why = existsSync(failFile) ? readFileSync(failFile, 'utf8').split('\n')[0] : 'it was never built';
    throw new BackendError(
      `native addon unavailable: ${why}. Build it with \`node scripts/build-native.mjs\` in @albert-ts/backends ` +
        `(needs g++, make and python3 on Linux x64); ${prebuild.reason}.`,
    );
  }
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    loaded.set(key, addon);
    origins.set(addon, { origin: prebuild == null ? 'built here' : 'prebuilt', file });
    return addon;
  } catch (err) {
    throw new BackendError(`native addon at ${file} failed to load: ${(err as Error).message}`, { cause: err });
  }
}

/** Which file `addon` was loaded from, and whether it was compiled here or prebuilt. */
export function nativeAddonOrigin(addon: NativeAddon): { origin: NativeAddonOrigin; file: string } | undefined {
  return origins.get(addon);
}

// The prebuilt addon, if the package's copy fits this machine, is intact and current
// (scripts/prebuilds.mjs checks), and the install script did not reject it (it tries a
// prebuild in a child process first: a binary that crashes there is never loaded here).
function usablePrebuild(dir: string, prebuildsDir: string): { file: string; reason?: string } {
  const check = checkPrebuild(prebuildsDir, dir);
  if (check.manifest == null) {
    const reason = check.present ? `the prebuilt addon is not usable: ${check.reason}` : `${check.reason} either`;
    return { file: check.file, reason };
  }
  const rejectedFile = join(dir, 'build', 'PREBUILD_REJECTED.txt');
  if (existsSync(rejectedFile)) {
    const [reason, sha] = readFileSync(rejectedFile, 'utf8').split('\n');
    if (sha === `sha256 ${check.manifest.sha256}`)
      return { file: check.file, reason: `the prebuilt addon was rejected at install: ${reason}` };
  }
  return { file: check.file };
}
