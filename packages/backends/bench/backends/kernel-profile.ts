// Time per tfjs kernel: every kernel registered for a backend is wrapped with a clock (tfjs runs
// kernels synchronously on Node's cpu-like backends, so the wall time of the kernel function is
// the kernel's time). Used by `pnpm bench profile` and `pnpm bench training --profile`.
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';

/** Calls, wall milliseconds and process CPU milliseconds (all threads, spinning workers included). */
export type KernelStat = { calls: number; ms: number; cpuMs: number };

export class KernelProfile {
  readonly stats = new Map<string, KernelStat>();
  recording = false;

  /** Wraps every kernel of `backend` (once per process). */
  constructor(backend: string) {
    for (const config of tf.getKernelsForBackend(backend)) {
      const inner = config.kernelFunc;
      const kernelName = config.kernelName;
      tf.unregisterKernel(kernelName, backend);
      tf.registerKernel({
        ...config,
        kernelFunc: ((args: Parameters<typeof inner>[0]) => {
          if (!this.recording) return inner(args);
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          const out = inner(args);
          const dt = performance.now() - t0;
          const c = process.cpuUsage(c0);
          // Kernels that compute one of several outputs per call (AlbertDenseGrad's 'x' | 'weight' |
          // 'bias') are counted per output.
          const output = (args.attrs as { output?: unknown } | undefined)?.output;
          const key = typeof output === 'string' ? `${kernelName}(${output})` : kernelName;
          const s = this.stats.get(key) ?? { calls: 0, ms: 0, cpuMs: 0 };
          s.calls++;
          s.ms += dt;
          s.cpuMs += (c.user + c.system) / 1000;
          this.stats.set(key, s);
          return out;
        }) as typeof inner,
      });
    }
  }

  /** Milliseconds spent inside kernels so far (wall, or process CPU time). */
  totalMs(what: 'ms' | 'cpuMs' = 'ms'): number {
    return [...this.stats.values()].reduce((a, s) => a + s[what], 0);
  }
}
