// The tfjs wasm backend. In Node its .wasm files are read from the installed package folder,
// and its multithreaded build is turned off: its pthreads are blob-URL workers that never
// start under Node, so it runs on one SIMD thread. In the browser it picks what the page
// allows (threads need cross-origin isolation) and computes on every logical core (see
// useEveryCore). Our kernels (src/kernels/wasm) are added before the backend is first set.
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmKernels } from './kernels/wasm/index.js';
import { isNode } from './platform.js';

let registered = false;

export async function registerWasm(): Promise<void> {
  if (registered) return;
  if (isNode) {
    // Variable specifiers: browser bundlers leave these Node-only imports alone.
    const [nodeModule, nodePath] = ['node:module', 'node:path'];
    const { createRequire } = (await import(/* @vite-ignore */ nodeModule)) as typeof import('node:module');
    const { dirname, join } = (await import(/* @vite-ignore */ nodePath)) as typeof import('node:path');
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(`${join(dir, 'dist')}/`);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  } else {
    useEveryCore();
  }
  registerWasmKernels();
  registered = true;
}

/**
 * tfjs-backend-wasm caps its XNNPACK thread pool at navigator.hardwareConcurrency / 2 (its
 * backend.cc assumes two hyper-threads per core: `num_cores = emscripten_num_logical_cores() / 2`,
 * read once when the module starts, and `setThreadsCount` cannot go above it), so on a 2-vCPU
 * machine — most CI runners and small VMs — the threaded build computes on one thread. While the
 * wasm backend initialises (only then: the module reads the count in its static constructors), we
 * show the module twice the logical core count, so its cap becomes the logical core count (tfjs's
 * own ceiling of 8 still applies); `setThreadsCount(n)` from tfjs-backend-wasm still asks for fewer.
 * Does nothing when the wasm backend is already initialised or not registered.
 */
function useEveryCore(): void {
  const factory = tf.findBackendFactory('wasm');
  if (factory == null || tf.engine().registry.wasm != null) return;
  const nav = globalThis.navigator as Navigator | undefined;
  const logical = nav?.hardwareConcurrency;
  if (nav == null || typeof logical !== 'number' || logical < 2) return;
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => 2 * logical });
      try {
        return await factory();
      } finally {
        delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency; // the prototype's getter again
      }
    },
    WASM_PRIORITY,
  );
}

/** tfjs-backend-wasm's own registration priority (its base.ts). */
const WASM_PRIORITY = 2;

/** Threads the wasm backend computes with (1 unless the threaded build loaded). */
export function wasmThreads(): number {
  try {
    return tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? getThreadsCount() : 1;
  } catch {
    return 1;
  }
}
