// `pnpm bench core [--iterations N] [--backends cpu,wasm] [--cpu-iterations N] [--cap-seconds S]`
//
// AlbertModel at the albert-base shape (E128 H768, 12 layers, 12 heads, I3072), seq 128, batch 1
// and 8: ms per forward on every Node backend available, load time, and peak RSS while loading
// vs the weight bytes. Each backend runs in its own child process so memory numbers do not mix.
// One forward at this shape is ~22 GFLOP at batch 1 (12 layer applications of ~1.8 GFLOP): the
// tfjs cpu backend (~1 GFLOP/s) needs tens of seconds, so a batch whose estimated time (batch-1
// time x batch) exceeds --cap-seconds (default 120) is not run and is reported as an estimate.
//
// Weights: ../shared/fixtures/hf-albert/base-shape (HF's albert-base-v2 shape with random init)
// when present — then the batch-1 input is the fixture's and its last_hidden_state and
// pooler_output are compared with HF's (an opt-in parity check for the big model). Without it,
// random weights of the same shape are used and the bench says so.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableBackends, type BackendName, initBackend } from '@albert-ts/backends';
import { AlbertModel, albertPreset, countParameters, readSafetensorsFile } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BASE_SHAPE = join(ROOT, '..', 'shared', 'fixtures', 'hf-albert', 'base-shape');
const SEQ = 128;

interface ChildResult {
  backend: string;
  weights: 'base-shape fixture' | 'random';
  weightBytes: number;
  loadMs: number;
  rssBeforeLoadMB: number;
  peakRssDuringLoadMB: number;
  loadPeakOverWeights: number;
  forward: { batch: number; iterations: number; msPerForward: number; msMin: number; estimated?: boolean }[];
  parity?: { lastHiddenStateMaxAbs: number; poolerOutputMaxAbs: number; withinTolerance: boolean };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const mb = (bytes: number) => bytes / 2 ** 20;

async function child(backend: BackendName): Promise<ChildResult> {
  await initBackend({ prefer: backend });
  const iterations = Number(arg('iterations') ?? 5);
  const cpuIterations = Number(arg('cpu-iterations') ?? 1);
  const capSeconds = Number(arg('cap-seconds') ?? 120);
  const fixture = existsSync(join(BASE_SHAPE, 'model.safetensors'));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const model = fixture
    ? await AlbertModel.fromPretrained(BASE_SHAPE, { warn: () => {} })
    : new AlbertModel(albertPreset('albert-base-v2'), { seed: 0 });
  const loadMs = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS * 1024; // kilobytes -> bytes
  const weightBytes = fixture
    ? statSync(join(BASE_SHAPE, 'model.safetensors')).size
    : countParameters(model.config) * 4;

  let parity: ChildResult['parity'];
  let batch1: tf.Tensor2D;
  let mask1: tf.Tensor2D;
  let types1: tf.Tensor2D;
  if (fixture) {
    const io = await readSafetensorsFile(join(BASE_SHAPE, 'io.safetensors'));
    const t = (k: string) => {
      const e = io.tensors.get(k)!;
      return tf.tensor(e.data as Int32Array | Float32Array, e.shape, e.dtype === 'I32' ? 'int32' : 'float32');
    };
    batch1 = t('input_ids') as tf.Tensor2D;
    mask1 = t('attention_mask') as tf.Tensor2D;
    types1 = t('token_type_ids') as tf.Tensor2D;
    const out = model.forward({ inputIds: batch1, attentionMask: mask1, tokenTypeIds: types1 });
    const cmp = (ours: tf.Tensor, key: string) =>
      tf.tidy(() => {
        const ref = t(key);
        const diff = tf.abs(tf.sub(ours, ref));
        const bad = tf.sum(tf.cast(tf.greater(diff, tf.add(1e-4, tf.mul(1e-4, tf.abs(ref)))), 'int32'));
        return { max: tf.max(diff).dataSync()[0]!, bad: bad.dataSync()[0]! };
      });
    const h = cmp(out.lastHiddenState, 'last_hidden_state');
    const p = cmp(out.poolerOutput!, 'pooler_output');
    parity = { lastHiddenStateMaxAbs: h.max, poolerOutputMaxAbs: p.max, withinTolerance: h.bad + p.bad === 0 };
    tf.dispose(out);
  } else {
    batch1 = tf.randomUniform([1, SEQ], 5, 30000, 'int32') as tf.Tensor2D;
    mask1 = tf.ones([1, SEQ], 'int32') as tf.Tensor2D;
    types1 = tf.zeros([1, SEQ], 'int32') as tf.Tensor2D;
  }

  const forward: ChildResult['forward'] = [];
  for (const batch of [1, 8]) {
    const inputIds = tf.tile(batch1, [batch, 1]) as tf.Tensor2D;
    const attentionMask = tf.tile(mask1, [batch, 1]) as tf.Tensor2D;
    const tokenTypeIds = tf.tile(types1, [batch, 1]) as tf.Tensor2D;
    const n = backend === 'cpu' ? cpuIterations : iterations;
    const b1 = forward[0];
    if (b1 != null && (b1.msMin * batch) / 1000 > capSeconds) {
      const ms = b1.msMin * batch;
      forward.push({ batch, iterations: 0, msPerForward: ms, msMin: ms, estimated: true });
      tf.dispose([inputIds, attentionMask, tokenTypeIds]);
      continue;
    }
    if (backend !== 'cpu') tf.dispose(model.forward({ inputIds, attentionMask, tokenTypeIds }) as never); // warm-up
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      const out = model.forward({ inputIds, attentionMask, tokenTypeIds });
      await out.lastHiddenState.data(); // wait for the backend to finish
      times.push(performance.now() - start);
      tf.dispose(out);
    }
    forward.push({
      batch,
      iterations: n,
      msPerForward: times.reduce((a, b) => a + b, 0) / n,
      msMin: Math.min(...times),
    });
    tf.dispose([inputIds, attentionMask, tokenTypeIds]);
  }
  return {
    backend,
    weights: fixture ? 'base-shape fixture' : 'random',
    weightBytes,
    loadMs,
    rssBeforeLoadMB: mb(rssBefore),
    peakRssDuringLoadMB: mb(peak),
    loadPeakOverWeights: (peak - rssBefore) / weightBytes,
    forward,
    ...(parity != null && { parity }),
  };
}

async function main(): Promise<void> {
  const only = arg('child');
  if (only != null) {
    process.stdout.write(`\n@@RESULT@@${JSON.stringify(await child(only as BackendName))}\n`);
    return;
  }
  const requested = arg('backends')?.split(',') ?? (await availableBackends());
  if (!existsSync(join(BASE_SHAPE, 'model.safetensors'))) {
    console.log(`note: ${BASE_SHAPE} not found; timing random albert-base-v2-shaped weights (no parity check).`);
  }
  const results: ChildResult[] = [];
  for (const backend of requested) {
    console.log(`running ${backend} …`);
    const script = fileURLToPath(import.meta.url);
    const run = spawnSync(
      process.execPath,
      [
        '--conditions=@albert-ts/source',
        '--expose-gc',
        '--import',
        'tsx',
        script,
        '--child',
        backend,
        ...process.argv.slice(2),
      ],
      { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 26 },
    );
    const line = run.stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'));
    if (run.status !== 0 || line == null) {
      const lines = (run.stderr || run.stdout).trim().split('\n');
      console.log(`  ${backend} skipped: ${lines.find((l) => /^\w*Error: /.test(l)) ?? lines.at(-1)}`);
      continue;
    }
    results.push(JSON.parse(line.slice('@@RESULT@@'.length)));
  }
  const rows = results.map((r) => ({
    backend: r.backend,
    'load ms': r.loadMs.toFixed(0),
    'fwd b1 ms': r.forward[0]!.msPerForward.toFixed(1),
    'fwd b8 ms': `${r.forward[1]!.estimated ? '~' : ''}${r.forward[1]!.msPerForward.toFixed(1)}`,
    iters: `${r.forward[0]!.iterations}/${r.forward[1]!.iterations}`,
    'rss before MB': r.rssBeforeLoadMB.toFixed(0),
    'peak rss MB': r.peakRssDuringLoadMB.toFixed(0),
    'load peak / weights': r.loadPeakOverWeights.toFixed(2),
    parity:
      r.parity == null
        ? 'n/a'
        : `${r.parity.withinTolerance ? 'ok' : 'FAIL'} ${r.parity.lastHiddenStateMaxAbs.toExponential(1)}`,
  }));
  console.log(
    `\nAlbertModel albert-base shape, seq ${SEQ} (${results[0]?.weights ?? '-'} weights, ${mb(results[0]?.weightBytes ?? 0).toFixed(1)} MB)`,
  );
  console.table(rows);
  const load = loadavg().map((l) => l.toFixed(1));
  console.log(
    `machine: ${cpus().length} cores, load average ${load.join(' ')} (timings scale with other work running)`,
  );
  console.log('load peak / weights = (peak RSS during load - RSS before load) / weight bytes; goal < 2.5');
  console.log(
    '~ = estimated from batch 1 (over --cap-seconds); iters = timed forwards at batch 1/8 after one warm-up (none on cpu)',
  );
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `core-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ bench: 'core', seq: SEQ, date: new Date().toISOString(), cores: cpus().length, loadAverage: loadavg(), results }, null, 2)}\n`,
  );
  console.log(`wrote ${file}`);
}

await main();
