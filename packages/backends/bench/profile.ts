// `pnpm bench profile [--batch N] [--seq N] [--runs N] [--backend native|wasm|cpu] [--dtype fp32|q8|bf16] [--train]`
//
// Where a forward's time goes, per tfjs kernel: every kernel registered for the backend is
// wrapped with a clock (tfjs runs kernels synchronously on Node's cpu-like backends, so the
// wall time of the kernel function is the kernel's time), then ALBERT-base (--seq, default 128) runs
// `--runs` forwards. Prints a table by kernel name and the time left outside kernels (tfjs
// bookkeeping), and writes bench/results/profile.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type BackendName, initBackend } from '../src/index.js';
import { flag, option } from './backends/args.js';
import { loadCore } from './backends/core.js';
import { benchPaths } from './backends/engines.js';
import { benchInputs } from './backends/inputs.js';
import { KernelProfile } from './backends/kernel-profile.js';
import { fmt, median, table } from './backends/stats.js';
import { forwardOnce, makeTrainStep, toTensors } from './backends/tfjs-engine.js';

const batch = Number(option('batch', '1'));
const seq = Number(option('seq', '128'));
const runs = Number(option('runs', '5'));
const backend = option('backend', 'native') as BackendName;
const train = flag('train');
const dtype = option('dtype', 'fp32') as 'fp32' | 'q8' | 'bf16';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { weightsDir } = benchPaths(repoRoot);

async function main() {
  await initBackend({ prefer: backend, quiet: true });
  const profile = new KernelProfile(backend);
  const stats = profile.stats;
  const core = await loadCore(repoRoot);
  const inputs = toTensors(benchInputs(batch, seq, 30000));
  let once: () => Promise<unknown>;
  if (train) {
    const { step } = makeTrainStep(core, 2);
    const trainInputs = toTensors(benchInputs(4, 128, 30000));
    once = () => step(trainInputs);
  } else {
    const model = existsSync(join(weightsDir, 'model.safetensors'))
      ? await core.AlbertModel.fromPretrained(weightsDir, { warn: () => {}, dtype })
      : new core.AlbertModel(core.albertPreset('albert-base-v2'), { seed: 1, dtype });
    once = () => forwardOnce(model, inputs);
  }
  await once();
  await once();
  const totals: number[] = [];
  const cpu0 = process.cpuUsage();
  profile.recording = true;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await once();
    totals.push(performance.now() - t0);
  }
  profile.recording = false;
  const cpuUsed = process.cpuUsage(cpu0);
  const cpuTotal = (cpuUsed.user + cpuUsed.system) / 1000;
  const wall = totals.reduce((a, b) => a + b, 0);
  const inKernels = profile.totalMs();
  const rows = [...stats.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([name, s]) => [
      name,
      String(s.calls / runs),
      fmt(s.ms / runs, 2),
      fmt(s.cpuMs / runs, 2),
      fmt((100 * s.ms) / wall, 1),
    ]);
  rows.push([
    '(outside kernels)',
    '',
    fmt((wall - inKernels) / runs, 2),
    fmt((cpuTotal - profile.totalMs('cpuMs')) / runs, 2),
    fmt((100 * (wall - inKernels)) / wall, 1),
  ]);
  const what = train ? 'training step (2 layers, batch 4)' : `forward batch ${batch}, ${dtype}`;
  console.log(
    `${backend}, ${what}, seq ${train ? 128 : seq}: median ${fmt(median(totals), 1)} ms, ${fmt(cpuTotal / runs, 1)} CPU ms per run over ${runs} runs\n`,
  );
  console.log(table(['kernel', 'calls/run', 'ms/run', 'cpu ms/run', '% of wall'], rows));
  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'profile.json'),
    JSON.stringify({ backend, what, runs, medianMs: median(totals), kernels: Object.fromEntries(stats) }, null, 2),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
