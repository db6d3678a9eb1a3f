// `pnpm bench dealing [--batch 1,8,32] [--seq 28] [--rounds 20] [--block N]`
//
// How the native pool deals a job's chunks, in ONE process so the host's drift hits both alike:
// 'shared' (one counter: any thread takes the next chunk) against 'owned' (the default: each
// thread first runs its own contiguous share, so the same columns of a cached weight go to the same
// core on every call — ALBERT runs its one layer's weights 12 times per forward). One ALBERT-base
// (the base-shape fixture), per batch size turns of each alternated (addon.setDealing): a turn is 2
// untimed forwards (the caches take the new dealing's layout) and --block timed ones (default: about
// 0.4 s of forwards). Alternating single forwards would understate the difference: each would start
// with the caches the other dealing left. Prints medians, the ratio and in how many pairs 'owned' was faster; writes
// bench/results/dealing.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/index.js';
import type { NativeBackend } from '../src/native/backend.js';
import { alternate } from './backends/alternate.js';
import { option } from './backends/args.js';
import { loadCore } from './backends/core.js';
import { benchPaths } from './backends/engines.js';
import { benchInputs } from './backends/inputs.js';
import { fmt, table } from './backends/stats.js';
import { forwardOnce, makeTrainStep, toTensors } from './backends/tfjs-engine.js';

const batches = option('batch', '1,8,32').split(',').map(Number);
const seq = Number(option('seq', '28'));
const rounds = Number(option('rounds', '20'));
const block = option('block', '');

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { weightsDir } = benchPaths(repoRoot);

async function main() {
  if (!existsSync(join(weightsDir, 'model.safetensors'))) {
    throw new Error(
      `no base-shape weights at ${weightsDir}: set ALBERT_TS_SHARED to the shared fixtures' parent folder`,
    );
  }
  await initBackend({ prefer: 'native', quiet: true });
  const addon = (tf.backend() as NativeBackend).addon;
  const core = await loadCore(repoRoot);
  const model = await core.AlbertModel.fromPretrained(weightsDir, { warn: () => {} });
  const dealt = (mode: 'owned' | 'shared', run: () => Promise<unknown>) => () => {
    addon.setDealing(mode);
    return run();
  };
  const rows: string[][] = [];
  const results = [];
  for (const batch of batches) {
    const inputs = toTensors(benchInputs(batch, seq, 30000));
    for (let i = 0; i < 3; i++) await forwardOnce(model, inputs);
    const t0 = performance.now();
    await forwardOnce(model, inputs);
    const timed = block !== '' ? Number(block) : Math.max(1, Math.round(400 / (performance.now() - t0)));
    const r = await alternate(
      rounds,
      dealt('shared', () => forwardOnce(model, inputs)),
      dealt('owned', () => forwardOnce(model, inputs)),
      { untimed: 2, timed },
    );
    tf.dispose(Object.values(inputs));
    rows.push([
      String(batch),
      String(timed),
      fmt(r.medianA, 1),
      fmt(r.medianB, 1),
      `${fmt(r.ratio, 3)}×`,
      `${r.bFaster}/${rounds}`,
    ]);
    results.push({
      batch,
      seq,
      rounds,
      sharedMs: r.medianA,
      ownedMs: r.medianB,
      timedPerTurn: timed,
      ratio: r.ratio,
      ownedFasterPairs: r.bFaster,
    });
  }
  model.dispose();
  {
    const train = makeTrainStep(core, 2);
    const inputs = toTensors(benchInputs(4, 128, 30000));
    for (let i = 0; i < 2; i++) await train.step(inputs);
    const n = Math.max(4, Math.round(rounds / 2));
    const r = await alternate(
      n,
      dealt('shared', () => train.step(inputs)),
      dealt('owned', () => train.step(inputs)),
      { untimed: 1, timed: 1 },
    );
    rows.push(['train 4×128', '1', fmt(r.medianA, 1), fmt(r.medianB, 1), `${fmt(r.ratio, 3)}×`, `${r.bFaster}/${n}`]);
    results.push({
      trainStep: { layers: 2, batch: 4, seq: 128 },
      rounds: n,
      sharedMs: r.medianA,
      ownedMs: r.medianB,
      ratio: r.ratio,
      ownedFasterPairs: r.bFaster,
    });
    tf.dispose(Object.values(inputs));
    train.dispose();
  }
  addon.setDealing('owned');
  const { threads, isa } = addon.info();
  console.log(
    `ALBERT-base forwards (seq ${seq}) and a training step, native backend (${isa}, ${threads} threads), medians of ${rounds} alternated pairs of turns:\n`,
  );
  console.log(
    table(['batch', 'forwards per turn', 'shared ms', 'owned ms', 'shared / owned', 'owned faster in'], rows),
  );
  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'dealing.json'), JSON.stringify({ threads, isa, results }, null, 2));
  console.log(`\nwrote ${join(out, 'dealing.json')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
