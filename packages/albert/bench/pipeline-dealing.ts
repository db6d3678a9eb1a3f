// `pnpm bench pipeline-dealing [--rounds 4] [--batches 1,8,32] [--limit N]`
//
// The native pool's two ways of dealing a job's chunks (@albert-ts/backends, `pnpm bench dealing`)
// end to end: pipeline('feature-extraction') (pooling 'none') on the 872 SST-2 dev sentences,
// ALBERT-base shape, native backend, all sentences in one call with batchSize b, alternately with
// 'shared' dealing (one counter) and 'owned' (the default: each thread its own share of a weight's
// columns), in one process. Prints sentences/s (medians), the ratio and in how many rounds 'owned'
// was faster; writes bench/results/pipeline-dealing.json. Needs the shared fixtures
// (ALBERT_TS_SHARED).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { alternate } from '../../backends/bench/backends/alternate.js';
import { option } from '../../backends/bench/backends/args.js';
import { fmt, table } from '../../backends/bench/backends/stats.js';
import type { NativeBackend } from '../../backends/src/native/backend.js';
import { AlbertTokenizer, initBackend, pipeline } from '../src/index.js';
import { benchFiles, requireBenchFiles, sst2Sentences } from './sst2-bench-files.js';

const rounds = Number(option('rounds', '4'));
const batches = option('batches', '1,8,32').split(',').map(Number);
const limit = Number(option('limit', '0'));

requireBenchFiles('pipeline-dealing', ['sst2', 'weights', 'spiece']);
const sentences = sst2Sentences(limit);
const report = await initBackend({ prefer: 'native' });
if (report.backend !== 'native') throw new Error(`the native backend is needed (got ${report.backend})`);
const addon = (tf.backend() as NativeBackend).addon;
const tokenizer = await AlbertTokenizer.fromFile(benchFiles.spiece, { modelMaxLength: 512 });

const rows: string[][] = [];
const results = [];
for (const batchSize of batches) {
  const pipe = await pipeline('feature-extraction', benchFiles.weights, { tokenizer, batchSize });
  await pipe(sentences); // warm: buffers for every batch shape, packed weights
  const dealt = (mode: 'owned' | 'shared') => () => {
    addon.setDealing(mode);
    return pipe(sentences);
  };
  const r = await alternate(rounds, dealt('shared'), dealt('owned'));
  pipe.dispose();
  const [shared, owned] = [(sentences.length * 1000) / r.medianA, (sentences.length * 1000) / r.medianB];
  rows.push([String(batchSize), fmt(shared, 1), fmt(owned, 1), `${fmt(owned / shared, 3)}×`, `${r.bFaster}/${rounds}`]);
  results.push({
    batchSize,
    sentences: sentences.length,
    rounds,
    sharedPerS: shared,
    ownedPerS: owned,
    ratio: owned / shared,
    ownedFasterRounds: r.bFaster,
  });
}
addon.setDealing('owned');
const { threads, isa } = addon.info();
console.log(
  `\nfeature-extraction on ${sentences.length} SST-2 sentences, native (${isa}, ${threads} threads), sentences/s, medians of ${rounds} alternated rounds:\n`,
);
console.log(table(['batch', 'shared', 'owned', 'owned / shared', 'owned faster in'], rows));
const outDir = join(fileURLToPath(new URL('../../..', import.meta.url)), 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'pipeline-dealing.json'), JSON.stringify({ threads, isa, results }, null, 2));
console.log(`\nwrote ${join(outDir, 'pipeline-dealing.json')}`);
