// Picking and initialising a tfjs backend. Node: native, then wasm, then cpu.
// Browser: webgpu, then webgl, then wasm, then cpu. Each step that is skipped says why.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BackendError } from './errors.js';
import { registerWasm } from './wasm.js';

export type BackendName = 'native' | 'wasm' | 'cpu' | 'webgl' | 'webgpu';

export interface InitBackendOptions {
  /** Backends to try, best first. Default: the platform's order. A single name means "only this one". */
  prefer?: BackendName | BackendName[];
}

export interface BackendReport {
  backend: BackendName;
  platform: 'node' | 'browser';
  simd: boolean | null;
  threads: number;
  /** Bits of float precision the backend computes with (32, or 16 on some WebGL devices). */
  floatPrecision: 16 | 32;
  /** Backends tried before the chosen one, with the reason each was skipped. */
  skipped: { backend: BackendName; reason: string }[];
}

const isNode = typeof process !== 'undefined' && process.versions?.node != null;
const NODE_ORDER: BackendName[] = ['native', 'wasm', 'cpu'];
const BROWSER_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

type Registrar = () => Promise<void>;
const registrars: Partial<Record<BackendName, Registrar>> = {
  cpu: async () => {},
  wasm: registerWasm,
};

/** Lets other modules (the native addon, browser backends) offer a backend to the selector. */
export function registerBackendProvider(name: BackendName, register: Registrar): void {
  registrars[name] = register;
}

export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const order =
    options.prefer == null ? (isNode ? NODE_ORDER : BROWSER_ORDER) : ([] as BackendName[]).concat(options.prefer);
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    const register = registrars[name];
    if (register == null) {
      skipped.push({ backend: name, reason: `not available on ${isNode ? 'Node.js' : 'this browser'} in this build` });
      continue;
    }
    try {
      await register();
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error('tf.setBackend returned false');
      await tf.ready();
      return report(name, skipped);
    } catch (err) {
      skipped.push({ backend: name, reason: (err as Error).message });
    }
  }
  throw new BackendError(
    `No backend could be initialised (tried ${order.join(', ')}): ` +
      skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ') +
      '. Pass initBackend({ prefer: "cpu" }) to use the always-available JavaScript backend.',
  );
}

function report(backend: BackendName, skipped: BackendReport['skipped']): BackendReport {
  const env = tf.env();
  const simd = backend === 'wasm' ? Boolean(env.getBool('WASM_HAS_SIMD_SUPPORT')) : null;
  let floatPrecision: 16 | 32 = 32;
  if (backend === 'webgl' && tf.backend() != null) {
    floatPrecision = (tf.backend() as unknown as { floatPrecision(): 16 | 32 }).floatPrecision();
  }
  return { backend, platform: isNode ? 'node' : 'browser', simd, threads: 1, floatPrecision, skipped };
}
