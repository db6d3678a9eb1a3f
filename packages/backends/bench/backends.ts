// `pnpm bench backends [--quick] [--full] [--rounds N] [--threads N] [--no-solo] [--solo-runs N] [--engines a,b]`
//
// ALBERT-base shape (V30000 E128 H768, 12 layers, 12 heads, FFN 3072) at seq 128, batch 1 and 8:
// median ms per forward on every Node engine, interleaved round by round in one process so
// they share the machine's state: tfjs cpu, tfjs wasm, our native backend in fp32, q8 and bf16
// (core's dtype option), and ONNX Runtime (onnxruntime-node) on the ONNX export of the same
// weights and on its int8 model (model_quantized.onnx, as transformers.js ships), with the same
// thread count as native; the native engines also inside the user's tf.tidy with dataSync (the
// tidy penalty). Then each engine alone in its own process (backends/solo.ts), alternating three
// times, best median. Before the timing: each engine's last_hidden_state vs Hugging Face's on the
// fixture's input (max and rms difference). Then a training step (forward + backward) of a
// 2-layer base-width model on each tfjs backend.
//   --quick    leave out tfjs cpu (≈20 s per batch-1 forward, ≈1 min per training step)
//   --full     also time tfjs cpu at batch 8 (≈3 min per forward)
//   --no-solo  leave out the separate-process runs
//   --engines  a comma-separated subset: onnxruntime,onnxruntime int8,native,native q8,native bf16,wasm,cpu
// Weights: $ALBERT_TS_SHARED/fixtures/hf-albert/base-shape (default ../shared beside the repo,
// read through core's fromPretrained) when present, else random weights of that shape; the ONNX
// models from $ALBERT_TS_SHARED/fixtures/onnx/albert-base-shape.
// Writes bench/results/backends.json at the repo root.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { availableBackends, type BackendName, formatBackendReport, initBackend } from '../src/index.js';
import { loadNativeAddon } from '../src/native/addon.js';
import { accuracy, type Diff, loadReference } from './backends/accuracy.js';
import { flag, numberOption, option } from './backends/args.js';
import { loadCore } from './backends/core.js';
import { benchPaths, createEngine, type Engine, type EngineName, engineNames } from './backends/engines.js';
import { ALBERT_BASE, forwardFlops, trainStepFlops } from './backends/flops.js';
import { type BenchInputs, benchInputs } from './backends/inputs.js';
import { fp32Peak, measurePeaks } from './backends/peak.js';
import { runSolo } from './backends/run-solo.js';
import { fmt, median, table } from './backends/stats.js';
import { makeTrainStep, toTensors } from './backends/tfjs-engine.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SEQ = 128;
const BATCHES = [1, 8];
const TRAIN = { layers: 2, batch: 4, seq: 128 };

const log = (s: string) => console.log(s);
// ONNX Runtime's and native's thread pools spin for a while after a run; on 2 cores a spinning
// pool would slow the next engine down. A short pause between timed runs keeps them apart.
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

async function main() {
  const paths = benchPaths(repoRoot);
  const haveWeights = existsSync(join(paths.weightsDir, 'model.safetensors'));
  log(`weights: ${haveWeights ? paths.weightsDir : `random (base-shape fixture not found at ${paths.weightsDir})`}`);
  log(
    `onnx:    ${existsSync(paths.onnxPath) ? paths.onnxPath : `not found at ${paths.onnxPath}: ONNX Runtime fp32 is left out`}`,
  );
  log(
    `onnx int8: ${existsSync(paths.onnxInt8Path) ? paths.onnxInt8Path : `not found at ${paths.onnxInt8Path}: ONNX Runtime int8 is left out`}`,
  );

  const core = await loadCore(repoRoot);
  let names = await availableBackends();
  if (flag('quick')) names = names.filter((n) => n !== 'cpu');
  const reports = new Map<BackendName, Awaited<ReturnType<typeof initBackend>>>();
  for (const name of names) reports.set(name, await initBackend({ prefer: name, quiet: true }));
  if (!names.includes('native')) {
    const r = await initBackend({ prefer: ['native', 'wasm'], quiet: true });
    log(`native:  ${r.skipped[0]?.reason ?? 'not available'}`);
  }
  const threads = numberOption('threads', reports.get('native')?.threads ?? availableParallelism());
  for (const [name, r] of reports) log(`${name.padEnd(8)} ${formatBackendReport(r)}`);
  log(`onnxruntime: ${threads} intra-op threads`);
  const loadBefore = loadavg()[0] as number;
  log(
    `load average ${loadBefore.toFixed(1)} on ${availableParallelism()} cores${loadBefore > availableParallelism() ? ' (busy machine: compare ratios, not absolute times)' : ''}`,
  );

  // One model and one input set per engine, created while its backend is current, so no tensor
  // moves between backends during the timed loops.
  const inputs = new Map(BATCHES.map((b) => [b, benchInputs(b, SEQ, 30000)] as const));
  const engines: Engine[] = [];
  const only = flag('engines') ? option('engines', '').split(',') : null;
  for (const name of engineNames(paths, names).filter((n) => only == null || only.includes(n)))
    engines.push(await createEngine(name, core, paths, threads));
  log(`\nengines and the instruction path of their products:`);
  for (const e of engines) log(`  ${e.name.padEnd(17)} ${e.isa}`);
  const cap = (e: Engine, batch: number) => (e.name !== 'cpu' ? Infinity : batch === 1 || flag('full') ? 1 : 0);
  const warmups = (e: Engine) => (e.name === 'cpu' ? 0 : 2);

  // Accuracy on the fixture's own input: HF's last_hidden_state vs every engine.
  let acc: Awaited<ReturnType<typeof accuracy>> | null = null;
  if (haveWeights) {
    const ref = loadReference(core, paths.weightsDir);
    acc = await accuracy(
      engines.filter((e) => e.name !== 'cpu'),
      ref,
      'native',
    );
    log(
      `\naccuracy: last_hidden_state on the fixture's input (batch ${ref.inputs.batch} x ${ref.inputs.seq}, ${ref.realPositions} real positions) vs Hugging Face fp32`,
    );
    const d = (x: Diff | null | undefined, k: keyof Diff) => (x == null ? '—' : x[k].toExponential(2));
    log(
      table(
        ['engine', 'max |Δ| HF', 'rms Δ HF', 'max |Δ| real pos.', 'rms Δ real pos.', 'max |Δ| our fp32'],
        Object.entries(acc).map(([n, a]) => [
          n,
          d(a.vsHf, 'max'),
          d(a.vsHf, 'rms'),
          d(a.vsHf, 'maxReal'),
          d(a.vsHf, 'rmsReal'),
          d(a.vsOurFp32, 'max'),
        ]),
      ),
    );
  }

  // Forward: warm-up, then rounds in which every engine runs once, in turn (plain, then in the
  // user's tf.tidy with dataSync for the tfjs engines: the tidy penalty, same process, interleaved).
  const forward: Record<
    string,
    Record<
      number,
      { medianMs: number; tidyMedianMs: number | null; runs: number; timesMs: number[]; tidyTimesMs: number[] }
    >
  > = {};
  for (const batch of BATCHES) {
    const rounds = numberOption('rounds', batch === 1 ? 10 : 5);
    const times = new Map<EngineName, number[]>();
    const tidyTimes = new Map<EngineName, number[]>();
    const x = inputs.get(batch) as BenchInputs;
    for (const e of engines) {
      if (cap(e, batch) === 0) continue;
      await e.activate();
      for (let i = 0; i < warmups(e); i++) await e.run(x);
      times.set(e.name, []);
      tidyTimes.set(e.name, []);
    }
    log(`\nbatch ${batch}: ${rounds} interleaved rounds…`);
    for (let r = 0; r < rounds; r++) {
      for (const e of engines) {
        const t = times.get(e.name);
        if (t == null || t.length >= cap(e, batch)) continue;
        await e.activate();
        await settle();
        let t0 = performance.now();
        await e.run(x);
        t.push(performance.now() - t0);
        if ((t.at(-1) as number) > 5000) log(`  ${e.name} batch ${batch}: ${fmt((t.at(-1) as number) / 1000)} s`);
        if (e.name.startsWith('native')) {
          await settle();
          t0 = performance.now();
          await e.runTidy(x);
          tidyTimes.get(e.name)?.push(performance.now() - t0);
        }
      }
    }
    for (const [name, t] of times) {
      const tt = tidyTimes.get(name) ?? [];
      forward[name] ??= {};
      (forward[name] as Record<number, unknown>)[batch] = {
        medianMs: median(t),
        tidyMedianMs: tt.length > 0 ? median(tt) : null,
        runs: t.length,
        timesMs: t.map((v) => Math.round(v * 10) / 10),
        tidyTimesMs: tt.map((v) => Math.round(v * 10) / 10),
      };
    }
  }
  for (const e of engines) await e.release();

  // Each engine alone in its own process, the way users run (forward in tf.tidy + dataSync),
  // alternating engines three times; the best of the three medians.
  const solo: Record<string, Record<number, { bestMedianMs: number; mediansMs: number[] }>> = {};
  if (!flag('no-solo')) {
    const soloRuns = numberOption('solo-runs', 10);
    const soloEngines = engines.filter((e) => e.name !== 'cpu' && e.name !== 'wasm').map((e) => e.name);
    log(`\nseparate processes: ${soloEngines.join(', ')}; ${soloRuns} runs each, alternating 3 times…`);
    for (const batch of BATCHES) {
      for (let pass = 0; pass < 3; pass++) {
        for (const name of soloEngines) {
          const r = runSolo(name, batch, batch === 1 ? soloRuns : Math.max(3, Math.ceil(soloRuns / 2)), threads);
          solo[name] ??= {};
          const rec = ((solo[name] as Record<number, { bestMedianMs: number; mediansMs: number[] }>)[batch] ??= {
            bestMedianMs: Number.POSITIVE_INFINITY,
            mediansMs: [],
          });
          rec.mediansMs.push(Math.round(r * 10) / 10);
          rec.bestMedianMs = Math.min(rec.bestMedianMs, r);
        }
      }
    }
  }

  // Training step: 2-layer base width, batch 4, seq 128, on each tfjs backend, interleaved.
  const train: Record<string, { medianMs: number; runs: number; timesMs: number[]; loss: number }> = {};
  const trainInputs = benchInputs(TRAIN.batch, TRAIN.seq, 30000, 99);
  const steppers = [];
  const order: BackendName[] = ['native', 'wasm', 'cpu'];
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
  const ms = (name: string, b: number) => forward[name]?.[b]?.medianMs ?? Number.NaN;
  const rows = Object.entries(forward).map(([name, byBatch]) => {
    const e = engines.find((x) => x.name === name);
    return [
      name,
      String(e?.threads ?? ''),
      ...BATCHES.flatMap((b) => [
        fmt(byBatch[b]?.medianMs),
        fmt(ms(name, b) / ms('onnxruntime', b), 2),
        fmt(ms(name, b) / ms('onnxruntime int8', b), 2),
        byBatch[b]?.tidyMedianMs == null ? '—' : fmt((byBatch[b]?.tidyMedianMs as number) / ms(name, b), 3),
      ]),
      BATCHES.map((b) => String(byBatch[b]?.runs ?? 0)).join(' / '),
    ];
  });
  log(
    `\nforward, seq ${SEQ}, one process, engines interleaved (median ms; ×ORT = engine / ONNX Runtime fp32, ×int8 = / ONNX Runtime int8; tidy = in tf.tidy with dataSync / plain)`,
  );
  log(
    table(
      ['engine', 'threads', ...BATCHES.flatMap((b) => [`b${b} ms`, `b${b} ×ORT`, `b${b} ×int8`, `b${b} tidy`]), 'runs'],
      rows,
    ),
  );
  const soloMs = (name: string, b: number) => solo[name]?.[b]?.bestMedianMs ?? Number.NaN;
  if (Object.keys(solo).length > 0) {
    log(
      `\nforward, seq ${SEQ}, each engine in its own process, in tf.tidy with dataSync (best of 3 alternating medians)`,
    );
    log(
      table(
        ['engine', ...BATCHES.flatMap((b) => [`b${b} ms`, `b${b} ×ORT`, `b${b} ×int8`, `b${b} medians`])],
        Object.keys(solo).map((name) => [
          name,
          ...BATCHES.flatMap((b) => [
            fmt(soloMs(name, b)),
            fmt(soloMs(name, b) / soloMs('onnxruntime', b), 2),
            fmt(soloMs(name, b) / soloMs('onnxruntime int8', b), 2),
            (solo[name]?.[b]?.mediansMs ?? []).map((v) => fmt(v)).join(' '),
          ]),
        ]),
      ),
    );
  }
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
    peak = fp32Peak(measurePeaks(addon, threads), addon.info().isa);
  }
  const gflop = new Map(BATCHES.map((b) => [b, forwardFlops(ALBERT_BASE, b, SEQ) / 1e9] as const));
  const positions = Math.ceil((TRAIN.batch * TRAIN.seq - 3) / 7);
  const trainGflop = trainStepFlops({ ...ALBERT_BASE, layers: TRAIN.layers }, TRAIN.batch, TRAIN.seq, positions) / 1e9;
  const pct = (g: number, ms: number) => (peak == null ? '—' : `${fmt((100 * g) / (ms / 1000) / peak, 0)}%`);
  log(
    `
compute bound: ${BATCHES.map((b) => `batch ${b} ${fmt(gflop.get(b), 2)} GFLOP`).join(', ')} per forward, ` +
      `training step ${fmt(trainGflop, 1)} GFLOP; fp32 peak ${peak == null ? 'unknown (no native addon to measure it)' : `${fmt(peak, 0)} GFLOP/s (measured FMA loop, all threads)`}`,
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
  const nativeRatio = BATCHES.map((b) => ms('native', b) / ms('onnxruntime', b));
  const q8Ratio = BATCHES.map((b) => ms('native q8', b) / ms('onnxruntime int8', b));
  log(
    forward.native == null
      ? '\nnative/ONNX Runtime: native backend not available'
      : `\nnative/ONNX Runtime: ${BATCHES.map((b, i) => `batch ${b} ${fmt(nativeRatio[i], 2)}×`).join(', ')}; ` +
          `native q8/ONNX Runtime int8: ${BATCHES.map((b, i) => `batch ${b} ${fmt(q8Ratio[i], 2)}×`).join(', ')} (one process)` +
          (Object.keys(solo).length > 0
            ? `, ${BATCHES.map((b) => `batch ${b} ${fmt(soloMs('native q8', b) / soloMs('onnxruntime int8', b), 2)}×`).join(', ')} (own processes)`
            : ''),
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
    isa: Object.fromEntries(engines.map((e) => [e.name, e.isa])),
    accuracy: acc,
    forward,
    separateProcesses: solo,
    train: { ...TRAIN, results: train },
    computeBound: {
      peakGflops: peak,
      forwardGflop: Object.fromEntries(gflop),
      trainStepGflop: trainGflop,
      msAtPeak:
        peak == null ? null : Object.fromEntries(BATCHES.map((b) => [b, ((gflop.get(b) as number) / peak) * 1000])),
    },
    nativeOverOrt: forward.native == null ? null : Object.fromEntries(BATCHES.map((b, i) => [b, nativeRatio[i]])),
    q8OverOrtInt8: forward['native q8'] == null ? null : Object.fromEntries(BATCHES.map((b, i) => [b, q8Ratio[i]])),
  };
  writeFileSync(join(outDir, 'backends.json'), `${JSON.stringify(json, null, 2)}\n`);
  log(`\nwrote ${join(outDir, 'backends.json')}`);

  for (const s of steppers) s.dispose();
}

await main();
