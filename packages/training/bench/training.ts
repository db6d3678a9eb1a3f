// `pnpm bench training [--configs small,base] [--backends native,wasm,cpu] [--steps N]
//                      [--optimizer lamb|adamw] [--threads N] [--batch N] [--profile]
//                      [--without <native kernel names>]`
//
// Pretraining steps of AlbertForPreTraining (MLM on the masked positions only, as ALBERT's
// run_pretraining.py, + SOP) on synthetic batches: forward + backward (tf.variableGrads), then
// the optimizer update — on native both the fused kernel and the tfjs-ops update, alternating
// which runs first, so their times come from the same steps. Prints ms/step, tokens/s, GFLOP/s
// and % of the machine's fp32 peak (the matrix products' flops, see training/flops.ts), and the
// optimizer's share of a step; writes bench/results/training.json. The machine is shared: the CPU
// time of a step (both threads; process.cpuUsage) is printed too, and "% peak (cpu)" is the step's
// flops over that CPU time at one core's peak — what the code reaches when it has the cores to
// itself. --profile adds the time per tfjs kernel of the forward + backward and fused update.
//
//   small: H 256, 6 layers, 4 heads, FFN 1024, E 128, vocab 16k (the default model's scale)
//   base:  albert-base-v2 (H 768, 12 layers, vocab 30k)
// Batch 32 × 128 on native; the slow backends run fewer sequences (--batch overrides).
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type BackendName, initBackend } from '@albert-ts/backends';
import { AlbertConfig, albertPreset } from '@albert-ts/core';
import { AlbertForPreTraining } from '@albert-ts/pretraining';
import * as tf from '@tensorflow/tfjs-core';
import { flag, option } from '../../backends/bench/backends/args.js';
import { KernelProfile } from '../../backends/bench/backends/kernel-profile.js';
import { fmt, median, table } from '../../backends/bench/backends/stats.js';
import { AdamW, Lamb, type Optimizer, type UpdateImplementation, usesFusedUpdate } from '../src/index.js';
import { pretrainingBatch } from './training/batch.js';
import { pretrainingStepFlops } from './training/flops.js';
import { fp32Peak } from './training/peak.js';

const configs = option('configs', 'small,base').split(',');
const backends = option('backends', 'native,wasm,cpu').split(',') as BackendName[];
const optimizerName = option('optimizer', 'lamb');
const profiling = flag('profile');
// Kernels to unregister on native first (e.g. AlbertDense: core then runs the composite), to
// measure what a fused kernel brings.
const without = option('without', '')
  .split(',')
  .filter((k) => k !== '');
const SEQ = 128;

const CONFIGS: Record<string, () => AlbertConfig> = {
  small: () =>
    AlbertConfig.fromJSON({
      ...albertPreset('albert-base-v2').toJSON(),
      hidden_size: 256,
      num_hidden_layers: 6,
      num_attention_heads: 4,
      intermediate_size: 1024,
      vocab_size: 16000,
    }),
  base: () => albertPreset('albert-base-v2'),
};

// Sequences per step and measured steps (after one warm-up step) per backend and config: native
// trains the real batch; tfjs wasm and cpu are 10-300x slower, so they run a few sequences.
const PLAN: Record<string, Record<string, { batch: number; steps: number; warmup: number }>> = {
  native: { small: { batch: 32, steps: 6, warmup: 1 }, base: { batch: 32, steps: 2, warmup: 1 } },
  wasm: { small: { batch: 4, steps: 2, warmup: 1 }, base: { batch: 1, steps: 1, warmup: 1 } },
  cpu: { small: { batch: 1, steps: 1, warmup: 1 }, base: { batch: 1, steps: 1, warmup: 0 } },
};

function makeOptimizer(implementation: UpdateImplementation): Optimizer {
  return optimizerName === 'adamw' ? new AdamW({ implementation }) : new Lamb({ implementation });
}

type Result = {
  backend: string;
  config: string;
  batch: number;
  seq: number;
  steps: number;
  gflopPerStep: number;
  forwardBackwardMs: number;
  /** CPU time of forward + backward (all threads). */
  forwardBackwardCpuMs: number;

  optimizerMs: Partial<Record<'fused' | 'ops', number>>;
  stepMs: number;
  tokensPerSecond: number;
  gflops: number;
  percentOfPeak: number | null;
  /** Flops over the step's CPU time at one core's peak. */
  percentOfPeakCpu: number | null;
  kernels?: Record<string, { calls: number; ms: number }>;
};

async function runCase(
  backend: BackendName,
  configName: string,
  peakGflops: number | null,
  profile: KernelProfile | null,
): Promise<Result> {
  const plan = PLAN[backend]?.[configName] ?? { batch: 1, steps: 1, warmup: 1 };
  const batch = Number(option('batch', String(plan.batch)));
  const steps = Number(option('steps', String(plan.steps)));
  const config = (CONFIGS[configName] as () => AlbertConfig)();
  const model = new AlbertForPreTraining(config, { seed: 1 });
  const params = model.namedParameters();
  const byVariable = new Map([...params].map(([name, v]) => [v.name, name]));
  const data = pretrainingBatch(batch, SEQ, config.vocabSize, 7);
  const implementations: UpdateImplementation[] = usesFusedUpdate('auto', optimizerName === 'lamb')
    ? ['auto', 'ops']
    : ['ops'];
  const optimizers = new Map(implementations.map((i) => [i, makeOptimizer(i)]));
  const lossFn = () =>
    model.forward(
      { inputIds: data.inputIds, attentionMask: data.attentionMask, tokenTypeIds: data.tokenTypeIds },
      { labels: data.labels, sentenceOrderLabel: data.sentenceOrderLabel, mlmPositions: 'masked', training: true },
    ).loss as tf.Scalar;

  const fwdBwd: number[] = [];
  const fwdBwdCpu: number[] = [];

  const optCpu = new Map<UpdateImplementation, number[]>(implementations.map((i) => [i, []]));
  profile?.stats.clear();
  const opt = new Map<UpdateImplementation, number[]>(implementations.map((i) => [i, []]));
  let tensors = -1;
  for (let s = 0; s < plan.warmup + steps; s++) {
    const measured = s >= plan.warmup;
    if (profile != null) profile.recording = measured;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(lossFn);
    const loss = (await value.data())[0] as number;
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    if (!Number.isFinite(loss)) throw new Error(`${backend} ${configName}: loss ${loss} at step ${s}`);
    const named = new Map(Object.entries(grads).map(([k, g]) => [byVariable.get(k) as string, g]));
    const order = s % 2 === 0 ? implementations : [...implementations].reverse();
    const times = new Map<UpdateImplementation, [number, number]>();
    for (const impl of order) {
      if (profile != null) profile.recording = measured && impl === implementations[0];
      const cu = process.cpuUsage();
      const u0 = performance.now();
      (optimizers.get(impl) as Optimizer).applyGradients(params, named, 1e-4);
      await params.get('sop_classifier.classifier.bias')?.data(); // every kernel has run (all are synchronous here)
      const cpu = process.cpuUsage(cu);
      times.set(impl, [performance.now() - u0, (cpu.user + cpu.system) / 1000]);
    }
    if (profile != null) profile.recording = false;
    tf.dispose([value, ...Object.values(grads)]);
    if (s === plan.warmup) tensors = tf.memory().numTensors;
    if (s < plan.warmup) continue;
    fwdBwd.push(t1 - t0);
    fwdBwdCpu.push((c1.user + c1.system) / 1000);
    for (const [impl, [t, cpu]] of times) {
      opt.get(impl)?.push(t);
      optCpu.get(impl)?.push(cpu);
    }
    if (tf.memory().numTensors !== tensors) throw new Error(`${backend} ${configName}: tensors leak`);
  }
  for (const o of optimizers.values()) o.dispose();
  model.dispose();
  tf.dispose([data.inputIds, data.attentionMask, data.tokenTypeIds, data.labels, data.sentenceOrderLabel]);

  const forwardBackwardMs = median(fwdBwd);
  const optimizerMs: Result['optimizerMs'] = {};
  for (const [impl, ts] of opt) optimizerMs[impl === 'auto' ? 'fused' : 'ops'] = median(ts);
  const stepMs = forwardBackwardMs + (optimizerMs.fused ?? (optimizerMs.ops as number));
  const gflopPerStep = pretrainingStepFlops(config, batch, SEQ, data.masked) / 1e9;
  const gflops = gflopPerStep / (stepMs / 1000);
  const forwardBackwardCpuMs = median(fwdBwdCpu);
  const stepCpuMs = forwardBackwardCpuMs + median(optCpu.get(implementations[0] as UpdateImplementation) as number[]);
  const threads = Number(process.env.ALBERT_TS_NATIVE_THREADS ?? 1);
  const coreGflops = peakGflops == null ? null : peakGflops / Math.min(threads, availableParallelism());
  const result: Result = {
    backend,
    config: configName,
    batch,
    seq: SEQ,
    steps,
    gflopPerStep,
    forwardBackwardMs,
    optimizerMs,
    stepMs,
    tokensPerSecond: (batch * SEQ) / (stepMs / 1000),
    gflops,
    percentOfPeak: peakGflops == null ? null : (100 * gflops) / peakGflops,
    forwardBackwardCpuMs,
    percentOfPeakCpu: coreGflops == null ? null : (100 * gflopPerStep) / (stepCpuMs / 1000) / coreGflops,
  };
  if (profile != null) {
    const per = (v: { calls: number; ms: number; cpuMs: number }) => ({
      calls: v.calls / steps,
      ms: v.ms / steps,
      cpuMs: v.cpuMs / steps,
    });
    result.kernels = Object.fromEntries([...profile.stats].map(([k, v]) => [k, per(v)]));
    const rows = [...profile.stats.entries()]
      .sort((a, b) => b[1].cpuMs - a[1].cpuMs)
      .slice(0, 30)
      .map(([name, v]) => [
        name,
        fmt(v.calls / steps, 0),
        fmt(v.ms / steps, 1),
        fmt((100 * v.ms) / steps / stepMs, 1),
        fmt(v.cpuMs / steps, 1),
        fmt((100 * v.cpuMs) / steps / stepCpuMs, 1),
      ]);
    const inKernels = profile.totalMs() / steps;
    const inKernelsCpu = profile.totalMs('cpuMs') / steps;
    rows.push([
      '(outside kernels)',
      '',
      fmt(stepMs - inKernels, 1),
      fmt((100 * (stepMs - inKernels)) / stepMs, 1),
      fmt(stepCpuMs - inKernelsCpu, 1),
      fmt((100 * (stepCpuMs - inKernelsCpu)) / stepCpuMs, 1),
    ]);
    console.log(table(['kernel', 'calls/step', 'ms/step', '% of step', 'cpu ms/step', '% of cpu'], rows));
  }
  return result;
}

async function main() {
  const threads = Number(option('threads', String(availableParallelism())));
  process.env.ALBERT_TS_NATIVE_THREADS ??= String(threads);
  const peak = fp32Peak(threads);
  const load0 = loadavg();
  console.log(
    `cpu: ${cpus()[0]?.model ?? '?'}, ${availableParallelism()} cores; load average ${load0.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    peak == null
      ? 'fp32 peak: unknown (no native addon to measure it)'
      : `fp32 peak ${fmt(peak.gflops, 0)} GFLOP/s (${peak.how})`,
  );
  console.log(`optimizer: ${optimizerName}; seq ${SEQ}; MLM on the masked positions (15%)\n`);
  const results: Result[] = [];
  for (const backend of backends) {
    try {
      const report = await initBackend({ prefer: backend, quiet: true });
      console.log(`${backend}: ${report.simd ?? ''} ${report.threads} thread(s)`);
    } catch (err) {
      console.log(`${backend}: not available (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    for (const name of backend === 'native' ? without : []) tf.unregisterKernel(name, backend);
    if (backend === 'native' && without.length > 0) console.log(`  without ${without.join(', ')}`);
    const profile = profiling ? new KernelProfile(backend) : null;
    for (const config of configs) {
      const r = await runCase(backend, config, peak?.gflops ?? null, profile);
      results.push(r);
      console.log(
        `  ${config}: ${fmt(r.stepMs, 0)} ms/step (forward+backward ${fmt(r.forwardBackwardMs, 0)}, optimizer ` +
          `${Object.entries(r.optimizerMs)
            .map(([k, v]) => `${k} ${fmt(v, 1)}`)
            .join(' / ')} ms), ${fmt(r.tokensPerSecond, 0)} tokens/s`,
      );
    }
  }
  const rows = results.map((r) => {
    const opt = r.optimizerMs.fused ?? (r.optimizerMs.ops as number);
    return [
      r.backend,
      r.config,
      `${r.batch}×${r.seq}`,
      fmt(r.forwardBackwardMs, 0),
      fmt(r.optimizerMs.fused, 1),
      fmt(r.optimizerMs.ops, 1),
      fmt(r.stepMs, 0),
      fmt(r.tokensPerSecond, 0),
      fmt(r.gflops, 1),
      r.percentOfPeak == null ? '—' : `${fmt(r.percentOfPeak, 1)}%`,
      fmt(r.forwardBackwardCpuMs, 0),
      r.percentOfPeakCpu == null ? '—' : `${fmt(r.percentOfPeakCpu, 1)}%`,
      `${fmt((100 * opt) / r.stepMs, 1)}%`,
    ];
  });
  console.log('');
  console.log(
    table(
      [
        'backend',
        'config',
        'batch',
        'fwd+bwd ms',
        'opt fused ms',
        'opt ops ms',
        'ms/step',
        'tokens/s',
        'GFLOP/s',
        '% peak',
        'fwd+bwd cpu ms',
        '% peak (cpu)',
        'opt share',
      ],
      rows,
    ),
  );
  const load1 = loadavg();
  console.log(`\nload average after: ${load1.map((l) => l.toFixed(2)).join(' ')}`);
  const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'training.json'),
    `${JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, threads, peak, optimizer: optimizerName, without, loadAverage: { before: load0, after: load1 }, results }, null, 2)}\n`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
