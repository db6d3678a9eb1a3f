// The tfjs wasm backend. In Node its .wasm files are read from the installed package folder,
// and its multithreaded build is turned off: its pthreads are blob-URL workers that never
// start under Node, so it runs on one SIMD thread. In the browser it picks what the page
// allows (threads need cross-origin isolation). Our kernels (src/kernels/wasm) are added
// before the backend is first set.
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
  }
  registerWasmKernels();
  registered = true;
}

/** Threads the wasm backend computes with (1 unless the threaded build loaded). */
export function wasmThreads(): number {
  try {
    return tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? getThreadsCount() : 1;
  } catch {
    return 1;
  }
}
