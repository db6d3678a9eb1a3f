// Picking and initialising a tfjs backend. Node: native, then wasm, then cpu.
// Browser: webgpu, then webgl, then wasm, then cpu. Every backend that is skipped says why,
// in one line, in the returned report.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BackendError } from './errors.js';
import { isNode } from './platform.js';
import {
  defaultProviders,
  type Provider,
  type ProviderContext,
  type ProviderInfo,
  SOFTWARE_RENDERER,
} from './providers.js';
import { installFastTidyResults } from './tidy-result.js';
import { wasmThreads } from './wasm.js';

export type BackendName = 'native' | 'wasm' | 'cpu' | 'webgl' | 'webgpu';
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'wasm', 'cpu', 'webgl', 'webgpu'];

export interface InitBackendOptions {
  /**
   * Backends to try, best first. Default: the platform's order (or, in Node, the
   * ALBERT_TS_BACKENDS environment variable when set). A single name means "only this one".
   */
  prefer?: BackendName | BackendName[];
  /** Do not print the one-line notice when the automatic choice had to fall back. */
  quiet?: boolean;
  /**
   * Compute threads of the native backend for work submitted from this JS thread (default: one per
   * core, or ALBERT_TS_NATIVE_THREADS). 1: this thread alone, the way to run one model per Node
   * worker thread; more: the addon's one pool per process, grown to at least this many. Other
   * backends keep their own count (wasm: 1 in Node) and ignore it.
   */
  threads?: number;
}

export interface BackendReport {
  backend: BackendName;
  platform: 'node' | 'browser';
  /**
   * The SIMD instruction set the backend computes with: 'simd128' (wasm with WebAssembly SIMD),
   * 'avx512' | 'avx2' | 'baseline' (native; baseline is x86-64's SSE2), null when none (wasm
   * without SIMD) or not known (cpu, webgl, webgpu).
   */
  simd: string | null;
  /** Threads the backend computes with. */
  threads: number;
  /** Bits of float precision the backend computes with (32, or 16 on some WebGL devices). */
  floatPrecision: 16 | 32;
  /**
   * WebGL facts, when the backend is webgl. `renderer` is what the context reports ('' when the
   * browser hides it); `software` is true for a CPU-emulated GPU (SwiftShader, llvmpipe).
   */
  webgl?: {
    version: number;
    renderFloat32Capable: boolean;
    renderFloat32Enabled: boolean;
    renderer: string;
    software: boolean;
  };
  /** Native backend: its addon is the package's prebuilt binary, or was compiled on this machine. */
  nativeAddon?: 'prebuilt' | 'built here';
  /** Backends tried before the chosen one, with the reason each was skipped (one line each). */
  skipped: { backend: BackendName; reason: string }[];
}

export const NODE_ORDER: readonly BackendName[] = ['native', 'wasm', 'cpu'];
export const BROWSER_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

const providers: Partial<Record<BackendName, Provider>> = defaultProviders();
const providerInfo: Partial<Record<BackendName, ProviderInfo>> = {};

/**
 * Offers a backend to the selector. `register` makes the tfjs backend `name` available
 * (tf.registerBackend plus its kernels) or throws an Error saying in one line why it cannot.
 */
export function registerBackendProvider(name: BackendName, register: Provider): void {
  providers[name] = register;
  delete providerInfo[name];
}

/** Runs the provider for `name`; resolves with its info, rejects with a one-line reason. */
export async function provideBackend(
  name: BackendName,
  context: ProviderContext = { automatic: false },
): Promise<ProviderInfo> {
  const register = providers[name];
  if (register == null) {
    throw new BackendError(
      `not available on ${isNode ? 'Node.js' : 'this browser'} in this build; register one with registerBackendProvider('${name}', …)`,
    );
  }
  let info = providerInfo[name];
  if (info == null) {
    const result = await register(context);
    info = result != null && typeof result === 'object' ? (result as ProviderInfo) : {};
    providerInfo[name] = info;
  }
  // also when the info was cached by a call by name: the automatic choice still passes it over
  if (context.automatic && info.notForAutomatic != null) throw new BackendError(info.notForAutomatic);
  return info;
}

/**
 * The backends the ALBERT_TS_BACKENDS environment variable allows (Node only), best first, or
 * null when it is unset or empty. One meaning wherever it is read: "albert-ts may use only these
 * backends, in this order" (initBackend's automatic order, availableBackends' list).
 */
export function backendsFromEnv(): BackendName[] | null {
  if (!isNode) return null;
  if (process.env.ALBERT_TS_BACKEND != null && process.env.ALBERT_TS_BACKEND !== '') {
    throw new BackendError(
      `ALBERT_TS_BACKEND is set ("${process.env.ALBERT_TS_BACKEND}"), but the variable is now ALBERT_TS_BACKENDS ` +
        '(the backends albert-ts may use, best first, e.g. "native,wasm"): rename it.',
    );
  }
  const fromEnv = process.env.ALBERT_TS_BACKENDS;
  if (fromEnv == null || fromEnv.trim() === '') return null;
  const names = fromEnv.split(',').map((s) => s.trim());
  const bad = names.filter((n) => !BACKEND_NAMES.includes(n as BackendName));
  if (bad.length > 0) {
    throw new BackendError(
      `ALBERT_TS_BACKENDS="${fromEnv}" names unknown backend(s) ${bad.join(', ')}; use ${BACKEND_NAMES.join(', ')}.`,
    );
  }
  return names as BackendName[];
}

function defaultOrder(): BackendName[] {
  return backendsFromEnv() ?? [...(isNode ? NODE_ORDER : BROWSER_ORDER)];
}

/**
 * Picks the first backend of `prefer` (default: the platform's order) that initialises,
 * makes it tfjs's current backend, and reports what was chosen and why others were not.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  installFastTidyResults(); // tf.tidy(() => …dataSync()) must not walk the typed array (tidy-result.ts)
  const threads = options.threads;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
    throw new BackendError(`initBackend: threads must be an integer from 1 to 256, got ${String(threads)}`);
  }
  const automatic = options.prefer == null;
  const order = automatic ? defaultOrder() : ([] as BackendName[]).concat(options.prefer ?? []);
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    try {
      const info = await provideBackend(name, { automatic });
      if (tf.findBackendFactory(name) == null)
        throw new BackendError(
          `its provider did not register a tfjs backend '${name}' (call tf.registerBackend in it)`,
        );
      const ok = await tf.setBackend(name);
      if (!ok)
        throw new BackendError(
          'tfjs could not initialise it (tf.setBackend returned false; see the warning tfjs printed)',
        );
      await tf.ready();
      silenceNodeBanner();
      const pool = nativePool();
      if (threads !== undefined) pool?.setThreadLimit(threads);
      const result = report(name, pool == null ? info : { ...info, threads: pool.info().threads }, skipped);
      if (automatic && !options.quiet && skipped.some((s) => s.backend === 'native')) {
        console.warn(`[albert-ts] ${formatSkipped(skipped)}; using ${name}.`);
      }
      return result;
    } catch (err) {
      skipped.push({ backend: name, reason: oneLine(err) });
    }
  }
  throw new BackendError(
    `No backend could be initialised (tried ${order.join(', ')}): ${formatSkipped(skipped)}. ` +
      'Pass initBackend({ prefer: "cpu" }) to use the always-available JavaScript backend.',
  );
}

/**
 * One line: "wasm (simd128, 1 thread, fp32); skipped native: addon not built", or
 * "native (avx2, 2 threads, fp32, prebuilt addon)".
 */
export function formatBackendReport(r: BackendReport): string {
  const simd = r.simd ?? (r.backend === 'wasm' ? 'no SIMD' : null);
  const gl =
    r.webgl == null
      ? null
      : `WebGL${r.webgl.version}${r.webgl.software ? ' software-rendered' : ''}${r.webgl.renderFloat32Capable ? '' : ', no float32 render targets'}`;
  const threads = `${r.threads} thread${r.threads === 1 ? '' : 's'}`;
  const addon = r.nativeAddon == null ? null : r.nativeAddon === 'prebuilt' ? 'prebuilt addon' : 'addon built here';
  const parts = [gl, simd, threads, `fp${r.floatPrecision}`, addon].filter(Boolean);
  const skipped = r.skipped.length > 0 ? `; ${formatSkipped(r.skipped)}` : '';
  return `${r.backend} (${parts.join(', ')})${skipped}`;
}

/** The native backend's addon when it is tfjs's current backend (its thread pool is the process's). */
function nativePool(): { setThreadLimit(n: number): void; info(): { threads: number } } | null {
  const addon = (tf.backend() as unknown as { addon?: { setThreadLimit?: unknown; info?: unknown } }).addon;
  return typeof addon?.setThreadLimit === 'function' && typeof addon.info === 'function'
    ? (addon as { setThreadLimit(n: number): void; info(): { threads: number } })
    : null;
}

function formatSkipped(skipped: BackendReport['skipped']): string {
  return skipped.map((s) => `skipped ${s.backend}: ${s.reason.replace(/\.+$/, '')}`).join('; ');
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n').find((l) => l.trim() !== '') ?? 'unknown error').trim();
}

// tfjs's cpu backend greets Node users once with a multi-line "Hi, looks like you are running
// TensorFlow.js in Node.js…" banner on its first tensor write. We pick backends on purpose, so
// mark that first use as done (the flag the banner keys on) for any cpu-derived backend.
function silenceNodeBanner(): void {
  for (const name of ['cpu', tf.getBackend()]) {
    const b = tf.engine().registry[name] as unknown as { firstUse?: boolean } | undefined;
    if (b != null && b.firstUse === true) b.firstUse = false;
  }
}

function report(backend: BackendName, info: ProviderInfo, skipped: BackendReport['skipped']): BackendReport {
  const env = tf.env();
  const base = { backend, platform: isNode ? 'node' : 'browser', skipped } as const;
  const precision = (tf.backend() as unknown as { floatPrecision?(): 16 | 32 }).floatPrecision?.() ?? 32;
  switch (backend) {
    case 'wasm':
      return {
        ...base,
        simd: env.getBool('WASM_HAS_SIMD_SUPPORT') ? 'simd128' : null,
        threads: wasmThreads(),
        floatPrecision: 32,
      };
    case 'webgl':
      return {
        ...base,
        simd: null,
        threads: 1,
        floatPrecision: precision,
        webgl: {
          version: env.getNumber('WEBGL_VERSION'),
          renderFloat32Capable: env.getBool('WEBGL_RENDER_FLOAT32_CAPABLE'),
          renderFloat32Enabled: env.getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
          renderer: info.renderer ?? '',
          software: SOFTWARE_RENDERER.test(info.renderer ?? ''),
        },
      };
    default:
      return {
        ...base,
        simd: info.simd ?? null,
        threads: info.threads ?? 1,
        floatPrecision: precision,
        ...(info.addon == null ? {} : { nativeAddon: info.addon }),
      };
  }
}
