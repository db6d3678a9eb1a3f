// `pnpm bench backends [--quick] [--full] [--rounds N] [--threads N]`
//
// ALBERT-base shape (V30000 E128 H768, 12 layers, 12 heads, FFN 3072) at seq 128, batch 1 and 8:
// median ms per forward on every Node engine, interleaved round by round in one process so
// they share the machine's state: tfjs cpu, tfjs wasm, our native backend (when it loaded),
// and ONNX Runtime (onnxruntime-node) on the ONNX export of the same weights, with the same
// thread count as native. Then a training step (forward + backward) of a 2-layer base-width
// model on each tfjs backend.
//   --quick    leave out tfjs cpu (≈20 s per batch-1 forward, ≈1 min per training step)
//   --full     also time tfjs cpu at batch 8 (≈3 min per forward)
// Weights: /work/shared/fixtures/hf-albert/base-shape (read through core's fromPretrained) when
// present, else random weights of that shape; the ONNX model from ../shared/fixtures/onnx.
// Writes bench/results/backends.json at the repo root.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { availableBackends, type BackendName, formatBackendReport, initBackend } from '../src/index.js';
import { loadNativeAddon } from '../src/native/addon.js';
import { type CoreModel, loadCore } from './backends/core.js';
import { ALBERT_BASE, forwardFlops, peakGflops, trainStepFlops } from './backends/flops.js';
import { benchInputs } from './backends/inputs.js';
import { createOrtEngine, type OrtEngine } from './backends/ort-engine.js';
import { fmt, median, table } from './backends/stats.js';
import { forwardOnce, makeTrainStep, type TfjsInputs, toTensors } from './backends/tfjs-engine.js';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] != null ? Number(argv[i + 1]) : fallback;
};

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shared = join(repoRoot, '..', 'shared', 'fixtures');
const weightsDir = join(shared, 'hf-albert', 'base-shape');
const onnxPath = join(shared, 'onnx', 'albert-base-shape', 'model.onnx');
const SEQ = 128;
const BATCHES = [1, 8];
const TRAIN = { layers: 2, batch: 4, seq: 128 };

type EngineName = 'onnxruntime' | BackendName;
interface Engine {
  name: EngineName;
  threads: number;
  /** Makes this engine's backend current (outside the timed region). */
  activate(): Promise<void>;
  run(batch: number): Promise<Float32Array>;
  /** Timed runs allowed per batch size (tfjs cpu is capped: it takes ~20 s per forward). */
  cap(batch: number): number;
  warmups: number;
}

const log = (s: string) => console.log(s);
// ONNX Runtime's and native's thread pools spin for a while after a run; on 2 cores a spinning
// pool would slow the next engine down. A short pause between timed runs keeps them apart.
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

async function main() {
  const haveWeights = existsSync(join(weightsDir, 'model.safetensors'));
  const haveOnnx = existsSync(onnxPath);
  log(`weights: ${haveWeights ? weightsDir : 'random (base-shape fixture not found at ' + weightsDir + ')'}`);
  log(`onnx:    ${haveOnnx ? onnxPath : `not found at ${onnxPath}: ONNX Runtime is left out`}`);

  const core = await loadCore(repoRoot);
  let names = await availableBackends();
  if (flag('quick')) names = names.filter((n) => n !== 'cpu');
  const reports = new Map<BackendName, Awaited<ReturnType<typeof initBackend>>>();
  for (const name of names) reports.set(name, await initBackend({ prefer: name, quiet: true }));
  if (!names.includes('native')) {
    const r = await initBackend({ prefer: ['native', 'wasm'], quiet: true });
    log(`native:  ${r.skipped[0]?.reason ?? 'not available'}`);
  }
  const threads = option('threads', reports.get('native')?.threads ?? availableParallelism());
  for (const [name, r] of reports) log(`${name.padEnd(8)} ${formatBackendReport(r)}`);
  log(`onnxruntime: ${threads} intra-op threads`);
  const loadBefore = loadavg()[0] as number;
  log(
    `load average ${loadBefore.toFixed(1)} on ${availableParallelism()} cores${loadBefore > availableParallelism() ? ' (busy machine: compare ratios, not absolute times)' : ''}`,
  );

  // One model and one input set per backend, created while that backend is current, so no
  // tensor moves between backends during the timed loops.
  const inputs = new Map(BATCHES.map((b) => [b, benchInputs(b, SEQ, 30000)] as const));
  const engines: Engine[] = [];
  const models: CoreModel[] = [];
  let ort: OrtEngine | null = null;
  if (haveOnnx) {
    const o = await createOrtEngine(onnxPath, threads);
    ort = o;
    engines.push({
      name: 'onnxruntime',
      threads,
      activate: async () => {},
      run: (b) => o.run(inputs.get(b)!),
      cap: () => Infinity,
      warmups: 2,
    });
  }
  const order: BackendName[] = ['native', 'wasm', 'cpu'];
  for (const name of order.filter((n) => names.includes(n))) {
    await tf.setBackend(name);
    const model = haveWeights
      ? await core.AlbertModel.fromPretrained(weightsDir, { warn: () => {} })
      : new core.AlbertModel(core.albertPreset('albert-base-v2'), { seed: 1 });
    models.push(model);
    const tensors = new Map<number, TfjsInputs>(BATCHES.map((b) => [b, toTensors(inputs.get(b)!)]));
    engines.push({
      name,
      threads: reports.get(name)?.threads ?? 1,
      activate: async () => {
        await tf.setBackend(name);
      },
      run: (b) => forwardOnce(model, tensors.get(b)!),
      cap: (b) => (name !== 'cpu' ? Infinity : b === 1 || flag('full') ? 1 : 0),
      warmups: name === 'cpu' ? 0 : 2,
    });
  }

  // Forward: warm-up, then rounds in which every engine runs once, in turn.
  const forward: Record<
    string,
    Record<number, { medianMs: number; runs: number; timesMs: number[]; maxAbsDiffVsOrt: number | null }>
  > = {};
  for (const batch of BATCHES) {
    const rounds = option('rounds', batch === 1 ? 10 : 5);
    const times = new Map<EngineName, number[]>();
    const outputs = new Map<EngineName, Float32Array>();
    for (const e of engines) {
      if (e.cap(batch) === 0) continue;
      await e.activate();
      for (let i = 0; i < e.warmups; i++) outputs.set(e.name, await e.run(batch));
      times.set(e.name, []);
    }
    log(`\nbatch ${batch}: ${rounds} interleaved rounds…`);
    for (let r = 0; r < rounds; r++) {
      for (const e of engines) {
        const t = times.get(e.name);
        if (t == null || t.length >= e.cap(batch)) continue;
        await e.activate();
        await settle();
        const t0 = performance.now();
        const out = await e.run(batch);
        t.push(performance.now() - t0);
        outputs.set(e.name, out);
        if ((t.at(-1) as number) > 5000) log(`  ${e.name} batch ${batch}: ${fmt((t.at(-1) as number) / 1000)} s`);
      }
    }
    const ref = outputs.get('onnxruntime');
    for (const [name, t] of times) {
      const out = outputs.get(name);
      let diff: number | null = null;
      if (ref != null && out != null && name !== 'onnxruntime' && haveWeights) {
        diff = 0;
        for (let i = 0; i < ref.length; i++) diff = Math.max(diff, Math.abs((ref[i] as number) - (out[i] as number)));
      }
      forward[name] ??= {};
      (forward[name] as Record<number, unknown>)[batch] = {
        medianMs: median(t),
        runs: t.length,
        timesMs: t.map((x) => Math.round(x * 10) / 10),
        maxAbsDiffVsOrt: diff,
      };
    }
  }

  // Training step: 2-layer base width, batch 4, seq 128, on each tfjs backend, interleaved.
  const train: Record<string, { medianMs: number; runs: number; timesMs: number[]; loss: number }> = {};
  const trainInputs = benchInputs(TRAIN.batch, TRAIN.seq, 30000, 99);
  const steppers = [];
  for (const name of order.filter((n) => names.includes(n))) {
    await tf.setBackend(name);
    steppers.push({
      name,
      ...makeTrainStep(core, TRAIN.layers),
      x: toTensors(trainInputs),
      runs: name === 'cpu' ? 1 : 3,
    });
  }
  log(`\ntraining step (${TRAIN.layers} layers, base width, batch ${TRAIN.batch}, seq ${TRAIN.seq})…`);
  const trainTimes = new Map<string, { t: number[]; loss: number }>();
  for (const s of steppers) {
    await tf.setBackend(s.name);
    if (s.name !== 'cpu') await s.step(s.x); // warm-up
    trainTimes.set(s.name, { t: [], loss: Number.NaN });
  }
  for (let r = 0; r < 3; r++) {
    for (const s of steppers) {
      const rec = trainTimes.get(s.name)!;
      if (rec.t.length >= s.runs) continue;
      await tf.setBackend(s.name);
      await settle();
      const t0 = performance.now();
      rec.loss = await s.step(s.x);
      rec.t.push(performance.now() - t0);
      log(`  ${s.name}: ${fmt((rec.t.at(-1) as number) / 1000, 2)} s (loss ${fmt(rec.loss, 4)})`);
    }
  }
  for (const [name, { t, loss }] of trainTimes)
    train[name] = { medianMs: median(t), runs: t.length, timesMs: t.map((x) => Math.round(x)), loss };

  // Report.
  const ortMs = (b: number) => forward.onnxruntime?.[b]?.medianMs ?? Number.NaN;
  const rows = Object.entries(forward).map(([name, byBatch]) => {
    const e = engines.find((x) => x.name === name);
    return [
      name,
      String(e?.threads ?? ''),
      ...BATCHES.flatMap((b) => [fmt(byBatch[b]?.medianMs), fmt((byBatch[b]?.medianMs ?? Number.NaN) / ortMs(b), 2)]),
      BATCHES.map((b) =>
        byBatch[b]?.maxAbsDiffVsOrt == null ? '—' : byBatch[b]!.maxAbsDiffVsOrt!.toExponential(1),
      ).join(' / '),
      BATCHES.map((b) => String(byBatch[b]?.runs ?? 0)).join(' / '),
    ];
  });
  log(`\nforward, seq ${SEQ} (median ms; ratio = engine / onnxruntime, lower is better)`);
  log(table(['engine', 'threads', 'b1 ms', 'b1 ×ORT', 'b8 ms', 'b8 ×ORT', 'max|Δ| vs ORT', 'runs'], rows));
  log(`\ntraining step (${TRAIN.layers}-layer base width, batch ${TRAIN.batch}, seq ${TRAIN.seq}; forward + backward)`);
  const wasmTrain = train.wasm?.medianMs ?? Number.NaN;
  log(
    table(
      ['backend', 'ms', '× faster than wasm', 'loss', 'runs'],
      Object.entries(train).map(([n, v]) => [
        n,
        fmt(v.medianMs),
        fmt(wasmTrain / v.medianMs, 2),
        fmt(v.loss, 4),
        String(v.runs),
      ]),
    ),
  );
  // Compute bound: the products' flops over the machine's fp32 peak (clock measured by the addon).
  let peak: number | null = null;
  if (names.includes('native')) {
    const addon = loadNativeAddon();
    peak = peakGflops(Math.min(threads, availableParallelism()), addon.cpuGhz(), addon.info().isa);
  }
  const gflop = new Map(BATCHES.map((b) => [b, forwardFlops(ALBERT_BASE, b, SEQ) / 1e9] as const));
  const positions = Math.ceil((TRAIN.batch * TRAIN.seq - 3) / 7);
  const trainGflop = trainStepFlops({ ...ALBERT_BASE, layers: TRAIN.layers }, TRAIN.batch, TRAIN.seq, positions) / 1e9;
  const pct = (g: number, ms: number) => (peak == null ? '—' : `${fmt((100 * g) / (ms / 1000) / peak, 0)}%`);
  log(
    `
compute bound: ${BATCHES.map((b) => `batch ${b} ${fmt(gflop.get(b), 2)} GFLOP`).join(', ')} per forward, ` +
      `training step ${fmt(trainGflop, 1)} GFLOP; fp32 peak ${peak == null ? 'unknown (no native addon to clock the cpu)' : `${fmt(peak, 0)} GFLOP/s`}`,
  );
  const boundRows = Object.entries(forward).map(([name, byBatch]) => [
    name,
    ...BATCHES.flatMap((b) => {
      const ms = byBatch[b]?.medianMs ?? Number.NaN;
      return [fmt((gflop.get(b) as number) / (ms / 1000), 1), pct(gflop.get(b) as number, ms)];
    }),
    train[name] == null ? '—' : pct(trainGflop, train[name].medianMs),
  ]);
  if (peak != null)
    boundRows.push([
      'at 100% of peak',
      ...BATCHES.flatMap((b) => [`${fmt(((gflop.get(b) as number) / peak) * 1000, 1)} ms`, '100%']),
      `${fmt((trainGflop / peak) * 1000, 1)} ms`,
    ]);
  log(table(['engine', 'b1 GFLOP/s', 'b1 % peak', 'b8 GFLOP/s', 'b8 % peak', 'train % peak'], boundRows));
  const nativeRatio = BATCHES.map((b) => (forward.native?.[b]?.medianMs ?? Number.NaN) / ortMs(b));
  log(
    forward.native == null
      ? '\nnative/ONNX Runtime: native backend not available'
      : `\nnative/ONNX Runtime: ${BATCHES.map((b, i) => `batch ${b} ${fmt(nativeRatio[i], 2)}×`).join(', ')}`,
  );

  const outDir = join(repoRoot, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const json = {
    benchmark: 'backends',
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      node: process.version,
      loadAverage: { before: loadBefore, after: loadavg()[0] },
    },
    weights: haveWeights ? 'hf-albert/base-shape fixture' : 'random, base shape',
    seq: SEQ,
    threads,
    backends: Object.fromEntries([...reports].map(([n, r]) => [n, formatBackendReport(r)])),
    forward,
    train: { ...TRAIN, results: train },
    computeBound: {
      peakGflops: peak,
      forwardGflop: Object.fromEntries(gflop),
      trainStepGflop: trainGflop,
      msAtPeak:
        peak == null ? null : Object.fromEntries(BATCHES.map((b) => [b, ((gflop.get(b) as number) / peak) * 1000])),
    },
    nativeOverOrt: forward.native == null ? null : Object.fromEntries(BATCHES.map((b, i) => [b, nativeRatio[i]])),
  };
  writeFileSync(join(outDir, 'backends.json'), `${JSON.stringify(json, null, 2)}\n`);
  log(`\nwrote ${join(outDir, 'backends.json')}`);

  for (const m of models) m.dispose();
  for (const s of steppers) s.dispose();
  await ort?.release();
}

await main();
