// The backends a test suite should run on: every backend this platform can provide.
// Node: cpu, wasm, and native when its addon loaded. Parity suites iterate over it:
//   const backends = await availableBackends();
//   describe.each(backends)('forward on %s', (name) => { beforeAll(() => initBackend({ prefer: name })); … });
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, backendsFromEnv, provideBackend } from './init.js';
import { isNode } from './platform.js';

const NODE_CANDIDATES: readonly BackendName[] = ['cpu', 'wasm', 'native'];
const BROWSER_CANDIDATES: readonly BackendName[] = ['cpu', 'wasm', 'webgl', 'webgpu'];

/**
 * Names of the backends that can be initialised here, cheapest to check first. In Node the
 * ALBERT_TS_BACKENDS environment variable (e.g. "wasm,native": the backends albert-ts may use)
 * narrows the list.
 */
export async function availableBackends(): Promise<BackendName[]> {
  let candidates = [...(isNode ? NODE_CANDIDATES : BROWSER_CANDIDATES)];
  const allowed = backendsFromEnv();
  if (allowed != null) candidates = candidates.filter((name) => allowed.includes(name));
  const available: BackendName[] = [];
  const previous = tf.engine().backendName as string | null; // restored afterwards
  for (const name of candidates) {
    try {
      await provideBackend(name);
      // Available means "initialises": set it once (tfjs keeps the instance), then move on.
      if (tf.engine().registry[name] == null && !(await tf.setBackend(name))) continue;
      available.push(name);
    } catch {
      // Not available here; initBackend({ prefer: name }) reports why.
    }
  }
  if (previous != null && tf.engine().backendName !== previous) await tf.setBackend(previous);
  return available;
}
