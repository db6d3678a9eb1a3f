// The worker's backend: initialise the one the user picked (or the best one), and probe every
// browser backend once for the capability report (what initialises here, and why not).
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, BROWSER_ORDER, formatBackendReport, initBackend } from 'albert-ts';
import type { BackendChoice, BackendProbe, Capabilities } from '../protocol.js';

let wasmPathSet = false;

function oneLine(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split('\n')[0] ?? 'unknown error';
}

/** Initialises `choice` and reports every backend's availability, the wasm facts and isolation. */
export async function initWorkerBackend(choice: BackendChoice): Promise<Capabilities> {
  if (!wasmPathSet) {
    // served by the page's server; on this cross-origin isolated page the threaded SIMD build loads,
    // and @albert-ts/backends has it compute on every logical core
    setWasmPaths(new URL('/wasm/', self.location.origin).href);
    wasmPathSet = true;
  }
  const report = await initBackend(choice === 'auto' ? {} : { prefer: [choice as BackendName] });
  const probes: BackendProbe[] = [];
  let wasm: Capabilities['wasm'] = null;
  for (const name of BROWSER_ORDER) {
    try {
      const probe = name === report.backend ? report : await initBackend({ prefer: [name] });
      probes.push({ backend: name, ok: true, detail: formatBackendReport({ ...probe, skipped: [] }) });
      if (name === 'wasm')
        wasm = {
          simd: probe.simd === 'simd128',
          threads: probe.threads,
          threadedBuild: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
        };
    } catch (err) {
      const reason = oneLine(err)
        .replace(/^No backend could be initialised \(tried \w+\): skipped \w+: /, '')
        .replace(/\. Pass initBackend\(.*$/, '');
      probes.push({ backend: name, ok: false, detail: reason });
    }
  }
  if (tf.getBackend() !== report.backend) await initBackend({ prefer: [report.backend] });
  return {
    report,
    summary: formatBackendReport(report),
    crossOriginIsolated: self.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    logicalCores: navigator.hardwareConcurrency || 1,
    wasm,
    probes,
  };
}

/** The current tfjs backend's name. */
export function currentBackend(): string {
  return tf.getBackend();
}
