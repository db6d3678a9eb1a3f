// One engine alone in this process (run by `pnpm bench backends`, which starts one per engine
// and alternates them): the way users run — forward inside `tf.tidy` with `dataSync()` (ONNX
// Runtime: session.run) — warm-up, then timed runs; prints one JSON line.
//   node --conditions=@albert-ts/source --import tsx solo.ts <engine> <batch> <runs> <threads>
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from './core.js';
import { benchPaths, createEngine, type EngineName } from './engines.js';
import { benchInputs } from './inputs.js';
import { median } from './stats.js';

const [name, batchArg, runsArg, threadsArg] = process.argv.slice(2);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const batch = Number(batchArg);
const runs = Number(runsArg);
const core = await loadCore(repoRoot);
const engine = await createEngine(name as EngineName, core, benchPaths(repoRoot), Number(threadsArg));
const inputs = benchInputs(batch, 128, 30000);
await engine.activate();
for (let i = 0; i < 2; i++) await engine.runTidy(inputs);
const times: number[] = [];
const cpu: number[] = []; // process CPU time (all threads): with 1 thread, what a loaded machine disturbs least
for (let i = 0; i < runs; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await engine.runTidy(inputs);
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
await engine.release();
console.log(
  JSON.stringify({
    engine: name,
    batch,
    medianMs: median(times),
    medianCpuMs: median(cpu),
    timesMs: times.map((t) => Math.round(t * 10) / 10),
  }),
);
