// `pnpm bench huge-pages [--batch 1,8,32] [--seq 28] [--rounds 30]`
//
// Packed weights on 2 MiB pages against 4 KiB pages, in ONE process so the host's drift hits both
// alike: two copies of ALBERT-base (the base-shape fixture), the first packed with
// ALBERT_TS_NATIVE_HUGE_PAGES=0, the second with huge pages, forwards alternated (A B, B A, …) per
// batch size. Prints medians, the ratio and in how many pairs the huge-page forward was faster, and the
// process's AnonHugePages (Linux); writes bench/results/huge-pages.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../src/index.js';
import { alternate } from './backends/alternate.js';
import { option } from './backends/args.js';
import { loadCore } from './backends/core.js';
import { benchPaths } from './backends/engines.js';
import { benchInputs } from './backends/inputs.js';
import { fmt, table } from './backends/stats.js';
import { forwardOnce, toTensors } from './backends/tfjs-engine.js';

const batches = option('batch', '1,8,32').split(',').map(Number);
const seq = Number(option('seq', '28'));
const rounds = Number(option('rounds', '30'));

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { weightsDir } = benchPaths(repoRoot);

/** kB of this process's anonymous memory on huge pages (null where /proc does not say). */
function anonHugeKb(): number | null {
  if (!existsSync('/proc/self/smaps_rollup')) return null;
  const m = readFileSync('/proc/self/smaps_rollup', 'utf8').match(/AnonHugePages:\s+(\d+) kB/);
  return m == null ? null : Number(m[1]);
}

async function main() {
  if (!existsSync(join(weightsDir, 'model.safetensors'))) {
    throw new Error(
      `no base-shape weights at ${weightsDir}: set ALBERT_TS_SHARED to the shared fixtures' parent folder`,
    );
  }
  await initBackend({ prefer: 'native', quiet: true });
  const core = await loadCore(repoRoot);
  const load = () => core.AlbertModel.fromPretrained(weightsDir, { warn: () => {} });
  const rows: string[][] = [];
  const results = [];
  for (const batch of batches) {
    const inputs = toTensors(benchInputs(batch, seq, 30000));
    // Weights are packed on a model's first forwards, with the setting of that moment.
    process.env.ALBERT_TS_NATIVE_HUGE_PAGES = '0';
    const small = await load();
    for (let i = 0; i < 3; i++) await forwardOnce(small, inputs);
    const before = anonHugeKb();
    process.env.ALBERT_TS_NATIVE_HUGE_PAGES = '1';
    const huge = await load();
    for (let i = 0; i < 3; i++) await forwardOnce(huge, inputs);
    const after = anonHugeKb();
    const {
      medianA: a,
      medianB: b,
      bFaster: wins,
    } = await alternate(
      rounds,
      () => forwardOnce(small, inputs),
      () => forwardOnce(huge, inputs),
    );
    small.dispose();
    huge.dispose();
    const hugeKb = before == null || after == null ? null : after - before;
    rows.push([
      String(batch),
      fmt(a, 1),
      fmt(b, 1),
      `${fmt(a / b, 3)}×`,
      `${wins}/${rounds}`,
      hugeKb == null ? '—' : String(hugeKb),
    ]);
    results.push({ batch, seq, rounds, smallPagesMs: a, hugePagesMs: b, ratio: a / b, hugeFasterPairs: wins, hugeKb });
  }
  console.log(`ALBERT-base forward, seq ${seq}, native backend, medians of ${rounds} alternated pairs:\n`);
  console.log(
    table(['batch', '4 KiB pages ms', '2 MiB pages ms', 'ratio', 'huge faster in', 'weights on huge pages (kB)'], rows),
  );
  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'huge-pages.json'), JSON.stringify(results, null, 2));
  console.log(`\nwrote ${join(out, 'huge-pages.json')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
