// `pnpm bench low-precision-memory [--forwards 1000] [--layers 2] [--dtype q8] [--batch 1] [--seq 128]`
//
// numTensors and the process's RSS over many inference forwards of an AlbertModel with a
// low-precision dtype (ALBERT-base width, `--layers` layers, random weights) on the native
// backend, the way users run it: `tf.tidy(() => model.forward(…).lastHiddenState.dataSync())`.
// Prints numTensors and RSS every 10% of the run and the RSS growth between the first and the
// last 10% (flat = no leak; the first forwards warm the backend's buffer reuse and the native
// scratch buffers). Writes bench/results/low-precision-memory.json at the repo root.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBackendReport, initBackend } from '@albert-ts/backends';
import { AlbertModel, albertPreset, type ModelDtype } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { option } from '../../backends/bench/backends/args.js';

const forwards = Number(option('forwards', '1000'));
const layers = Number(option('layers', '2'));
const dtype = option('dtype', 'q8') as ModelDtype;
const batch = Number(option('batch', '1'));
const seq = Number(option('seq', '128'));

const report = await initBackend({ prefer: 'native' });
console.log(`backend: ${formatBackendReport(report)}`);
const config = albertPreset('albert-base-v2').with({ numHiddenLayers: layers });
const model = new AlbertModel(config, { seed: 1, dtype });
console.log(
  `model: ALBERT-base width, ${layers} layers, dtype ${model.dtype}; ${forwards} forwards of [${batch}, ${seq}]`,
);
const ids = tf.tensor2d(
  Array.from({ length: batch * seq }, (_, i) => 5 + ((i * 7919) % 29000)),
  [batch, seq],
  'int32',
);
const mb = () => process.memoryUsage().rss / 2 ** 20;
const samples: { forward: number; numTensors: number; rssMb: number }[] = [];
const every = Math.max(1, Math.floor(forwards / 10));
const t0 = performance.now();
for (let i = 1; i <= forwards; i++) {
  tf.tidy(() => model.forward({ inputIds: ids }).lastHiddenState.dataSync());
  if (i % every === 0 || i === 1) {
    samples.push({ forward: i, numTensors: tf.memory().numTensors, rssMb: mb() });
    const s = samples.at(-1) as (typeof samples)[number];
    console.log(`forward ${String(i).padStart(5)}: numTensors ${s.numTensors}, RSS ${s.rssMb.toFixed(1)} MiB`);
  }
}
const ms = (performance.now() - t0) / forwards;
const first = samples.find((s) => s.forward >= every) ?? samples[0];
const last = samples.at(-1);
const growth = (last?.rssMb ?? 0) - (first?.rssMb ?? 0);
const tensorsFlat = samples.every((s) => s.numTensors === samples[0]?.numTensors);
// RSS saws up and down with V8's garbage collections: compare the peaks of the two halves.
const half = forwards / 2;
const peak = (xs: typeof samples) => Math.max(...xs.map((s) => s.rssMb));
const firstHalfPeak = peak(samples.filter((s) => s.forward >= every && s.forward <= half));
const secondHalfPeak = peak(samples.filter((s) => s.forward > half));
console.log(
  `\nnumTensors ${tensorsFlat ? 'flat' : 'GREW'}; RSS ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB from forward ${first?.forward} to ${last?.forward} ` +
    `(${((growth * 1024) / Math.max(1, (last?.forward ?? 0) - (first?.forward ?? 0))).toFixed(2)} KiB per forward); ` +
    `peak RSS ${firstHalfPeak.toFixed(1)} MiB in the first half, ${secondHalfPeak.toFixed(1)} MiB in the second; ${ms.toFixed(1)} ms per forward`,
);
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const outDir = join(repoRoot, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'low-precision-memory.json'),
  `${JSON.stringify({ benchmark: 'low-precision-memory', date: new Date().toISOString(), dtype: model.dtype, layers, batch, seq, forwards, msPerForward: ms, samples, rssGrowthMb: growth, firstHalfPeakMb: firstHalfPeak, secondHalfPeakMb: secondHalfPeak, tensorsFlat }, null, 2)}\n`,
);
tf.dispose(ids);
model.dispose();
