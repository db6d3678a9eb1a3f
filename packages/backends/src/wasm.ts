// The tfjs wasm backend. In Node its .wasm files are read from the installed package folder;
// its threads do not start under Node (blob workers), so it runs on one SIMD thread.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let registered = false;

export async function registerWasm(): Promise<void> {
  if (registered) return;
  if (typeof process !== 'undefined' && process.versions?.node != null) {
    const { createRequire } = await import('node:module');
    const { dirname, join } = await import('node:path');
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(`${join(dir, 'dist')}/`);
  }
  registered = true;
}
