// The Node backends a parity suite runs on, and one test that says so. By default every Node
// backend (cpu, wasm, native); ALBERT_TS_BACKENDS=cpu,wasm narrows the request. A requested
// backend that does not initialise fails the run under CI=true; locally only a missing native
// addon is tolerated, with a printed reason. So a suite can never pass on fewer backends silently.
// Relative import: test-utils is not a package, so tsc resolves no workspace names from here.

import { expect, it } from 'vitest';
import { availableBackends, type BackendName } from '../packages/backends/src/index.js';
import { loadNativeAddon } from '../packages/backends/src/native/addon.js';
import { hiddenForTest, IN_CI } from './requirements.js';

const NODE_BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'native'];

const HOW: Record<string, string> = {
  native:
    'the native addon did not load: `pnpm install` compiles it with node-gyp (needs g++, make and python3); ' +
    'run `node packages/backends/scripts/build-native.mjs` to see why',
  wasm: '@tensorflow/tfjs-backend-wasm did not initialise (is it installed?)',
  cpu: '@tensorflow/tfjs-backend-cpu did not initialise (is it installed?)',
};

/** The requested backends (ALBERT_TS_BACKENDS or all Node backends). */
export function requestedBackends(): BackendName[] {
  const only = process.env.ALBERT_TS_BACKENDS;
  if (only == null || only.trim() === '') return [...NODE_BACKENDS];
  const wanted = only.split(',').map((s) => s.trim());
  const unknown = wanted.filter((b) => !NODE_BACKENDS.includes(b as BackendName));
  if (unknown.length > 0) throw new Error(`ALBERT_TS_BACKENDS names unknown backends: ${unknown.join(', ')}`);
  return wanted as BackendName[];
}

/**
 * The backends to iterate over, plus a registered test asserting that every requested backend
 * is among them (a missing native addon only warns outside CI).
 */
export async function testBackends(): Promise<BackendName[]> {
  const requested = requestedBackends();
  const available = (await availableBackends()).filter((b) => !hiddenForTest(b));
  const missing = requested.filter((b) => !available.includes(b));
  const how = (b: BackendName) =>
    b === 'native' && !hiddenForTest('native') ? `${HOW.native} (${nativeReason()})` : HOW[b];
  const tolerated: BackendName[] = IN_CI ? [] : missing.filter((b) => b === 'native');
  for (const b of tolerated) console.warn(`SKIPPED backend ${b} (local run): ${how(b)}`);
  it(`runs on every requested backend (${requested.join(', ')})`, () => {
    const fatal = missing.filter((b) => !tolerated.includes(b));
    expect(
      fatal.map((b) => `${b}: ${how(b)}`),
      IN_CI ? 'CI=true needs every backend' : undefined,
    ).toEqual([]);
    expect(available.length).toBeGreaterThan(0);
    expect([...available].sort()).toEqual(requested.filter((b) => !tolerated.includes(b)).sort());
  });
  return available;
}

/** Why the addon does not load, in the loader's words (BUILD_FAILED.txt's first line, …). */
function nativeReason(): string {
  try {
    loadNativeAddon();
    return 'it loads, but the backend did not initialise';
  } catch (err) {
    return (err as Error).message;
  }
}
