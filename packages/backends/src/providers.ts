// The built-in backend providers: each makes one tfjs backend available or throws an Error
// whose first line says why not. Browser backends and the native addon are loaded lazily
// (dynamic import), so a page never downloads what it does not use and a browser bundle
// never sees the Node-only native module.
import { BackendError } from './errors.js';
import type { BackendName } from './init.js';
import { registerCpuKernels } from './kernels/cpu/index.js';
import { isNode } from './platform.js';
import { registerWasm } from './wasm.js';

/** What a provider may tell the capability report. */
export interface ProviderInfo {
  /** Threads the backend computes with. */
  threads?: number;
  /** The SIMD instruction set in use ('avx512', 'avx2', 'baseline', …): BackendReport.simd. */
  simd?: string;
  /** Native backend: whether its addon is the package's prebuilt binary or was compiled here. */
  addon?: 'prebuilt' | 'built here';
  /** WebGL: the renderer the context reports (WEBGL_debug_renderer_info), '' when hidden. */
  renderer?: string;
  /**
   * The backend works, but the automatic choice passes it over for this reason (one line), e.g. a
   * software-rendered WebGL. Kept with the cached info, so asking for the backend by name first
   * does not make a later automatic choice take it.
   */
  notForAutomatic?: string;
}

/** Makes a backend available; may resolve with a ProviderInfo for the report. */
export type Provider = (context: ProviderContext) => Promise<unknown>;

export interface ProviderContext {
  /** True when the selector is choosing on its own (no `prefer`): a provider may throw early
   * for a backend that works but would be slower than the next one (e.g. software WebGL), to
   * skip loading its code; asked by name, it returns the reason as `notForAutomatic`. */
  automatic: boolean;
}

export function defaultProviders(): Partial<Record<BackendName, Provider>> {
  const common: Partial<Record<BackendName, Provider>> = { cpu: async () => registerCpuKernels(), wasm: registerWasm };
  return isNode ? { ...common, native: loadNative } : { ...common, webgl: loadWebgl, webgpu: loadWebgpu };
}

// The native addon (src/native/**, built by scripts/build-native.mjs at install). The specifier
// is computed so bundlers leave this Node-only import alone. Run from source (vitest, tsx) this
// file is providers.ts and its sibling is native/index.ts; built, both are .js.
const here = import.meta.url;
const NATIVE_MODULE = new URL(`./native/index.${here.endsWith('.ts') ? 'ts' : 'js'}`, here).href;

async function loadNative(): Promise<ProviderInfo | undefined> {
  let mod: {
    registerNativeBackend?: () => unknown;
    loadNativeAddon?: () => { info(): { isa: string; threads: number } };
    nativeAddonOrigin?: (addon: object) => { origin: 'prebuilt' | 'built here' } | undefined;
  };
  try {
    mod = (await import(/* @vite-ignore */ NATIVE_MODULE)) as typeof mod;
  } catch (err) {
    throw new BackendError(
      `native module not available (${firstLine(err)}); reinstall @albert-ts/backends with a C++ compiler (g++ or clang) on Linux x64, or use wasm`,
    );
  }
  if (typeof mod.registerNativeBackend !== 'function') {
    throw new BackendError(
      'native module loaded but exports no registerNativeBackend(): reinstall @albert-ts/backends',
    );
  }
  const result = await mod.registerNativeBackend();
  if (result != null && typeof result === 'object') return result as ProviderInfo;
  const addon = mod.loadNativeAddon?.();
  if (addon == null) return undefined;
  const info = addon.info();
  const origin = mod.nativeAddonOrigin?.(addon)?.origin;
  return { threads: info.threads, simd: info.isa, ...(origin == null ? {} : { addon: origin }) };
}

/** A WebGL renderer that is a CPU emulating a GPU. */
export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software/i;

async function loadWebgl({ automatic }: ProviderContext): Promise<ProviderInfo> {
  if (typeof document === 'undefined' && typeof OffscreenCanvas === 'undefined') {
    throw new BackendError('no canvas to create a WebGL context on');
  }
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
  const gl = (canvas as HTMLCanvasElement).getContext('webgl2') ?? (canvas as HTMLCanvasElement).getContext('webgl');
  if (gl == null)
    throw new BackendError('WebGL is not available (no webgl2/webgl context; GPU disabled or blocklisted)');
  // A CPU-emulated GPU (SwiftShader, llvmpipe) is far slower than wasm SIMD, and often only fp16.
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = info == null ? '' : String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL));
  const software = SOFTWARE_RENDERER.exec(renderer);
  const slower = software == null ? null : `WebGL is software-rendered (${software[0]}), slower than wasm`;
  if (automatic && slower != null) throw new BackendError(slower);
  await import('@tensorflow/tfjs-backend-webgl');
  return { renderer, ...(slower != null && { notForAutomatic: slower }) };
}

async function loadWebgpu(): Promise<undefined> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }) | undefined)?.gpu;
  if (gpu == null) throw new BackendError('WebGPU is not available (navigator.gpu is undefined)');
  const adapter = await gpu.requestAdapter();
  if (adapter == null) throw new BackendError('WebGPU is not available (no GPU adapter)');
  await import('@tensorflow/tfjs-backend-webgpu');
  return undefined;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? '').trim();
}
