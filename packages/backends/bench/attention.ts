// `pnpm bench attention [--batch N] [--seq N] [--rounds N]`
//
// One ALBERT-base self-attention (H 768, 12 heads, seq 128, the output dense included) on the
// native backend, interleaved in one process: core's selfAttention with the fused
// AlbertSelfAttention kernel, the same call on the composite path (linears, head transposes,
// batched matmuls, AlbertMaskedSoftmax), and the QKV product alone (x · [H, 3H] + bias, the
// kernel's GEMM) as a floor. Median ms per call; writes bench/results/attention.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, maskNegative } from '../src/index.js';
import { loadCore } from './backends/core.js';
import { fmt, median, table } from './backends/stats.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] != null ? (argv[i + 1] as string) : fallback;
};
const batches = option('batch', '1,8').split(',').map(Number);
const seq = Number(option('seq', '128'));
const rounds = Number(option('rounds', '15'));
const [hidden, heads] = [768, 12];
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

type Weights = Record<
  'query' | 'queryBias' | 'key' | 'keyBias' | 'value' | 'valueBias' | 'dense' | 'denseBias',
  tf.Tensor
>;
type SelfAttention = (
  x: tf.Tensor3D,
  mask: tf.Tensor4D,
  w: Weights,
  heads: number,
  dropout: number,
  ctx: { training: boolean; nextSeed: () => number },
  options?: { outputProbs?: boolean },
) => { context: tf.Tensor3D; probs?: tf.Tensor4D };

async function main() {
  await initBackend({ prefer: 'native', quiet: true });
  const core = (await loadCore(repoRoot)) as unknown as { selfAttention?: SelfAttention };
  const selfAttention = core.selfAttention;
  if (selfAttention == null) throw new Error('@albert-ts/core does not export selfAttention');
  const r = Math.sqrt(3 / hidden);
  const mat = (seed: number) => tf.randomUniform([hidden, hidden], -r, r, 'float32', seed) as tf.Tensor2D;
  const vec = (seed: number) => tf.randomUniform([hidden], -0.1, 0.1, 'float32', seed) as tf.Tensor1D;
  const w: Weights = {
    query: mat(1),
    queryBias: vec(2),
    key: mat(3),
    keyBias: vec(4),
    value: mat(5),
    valueBias: vec(6),
    dense: mat(7),
    denseBias: vec(8),
  };
  const wqkv = tf.concat([w.query, w.key, w.value], 1) as tf.Tensor2D; // [H, 3H]
  const bqkv = tf.concat([w.queryBias, w.keyBias, w.valueBias]) as tf.Tensor1D;
  const ctx = { training: false, nextSeed: () => 0 };
  const rows: string[][] = [];
  const results: Record<string, Record<string, number>> = {};

  for (const batch of batches) {
    const x = tf.randomNormal([batch, seq, hidden], 0, 1, 'float32', 9) as tf.Tensor3D;
    // The last item pads a quarter of its keys.
    const maskValues = new Float32Array(batch * seq);
    for (let j = Math.floor((3 * seq) / 4); j < seq; j++) maskValues[(batch - 1) * seq + j] = maskNegative();
    const mask = tf.tensor4d(maskValues, [batch, 1, 1, seq]);
    const variants: Record<string, () => tf.TensorContainer> = {
      fused: () => selfAttention(x, mask, w, heads, 0, ctx, { outputProbs: false }).context,
      composite: () => {
        const { context, probs } = selfAttention(x, mask, w, heads, 0, ctx);
        return [context, probs as tf.Tensor4D];
      },
      'qkv gemm only': () =>
        tf.fused.matMul({ a: tf.reshape(x, [batch * seq, hidden]) as tf.Tensor2D, b: wqkv, bias: bqkv }),
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    const once = (f: () => tf.TensorContainer) => {
      const out = f();
      const t = Array.isArray(out) ? (out[0] as tf.Tensor) : (out as tf.Tensor);
      t.dataSync();
      tf.dispose(out);
    };
    for (const f of Object.values(variants)) for (let i = 0; i < 3; i++) once(f); // warm up, pack weights
    for (let round = 0; round < rounds; round++) {
      for (const [name, f] of Object.entries(variants)) {
        const t0 = performance.now();
        once(f);
        (times[name] as number[]).push(performance.now() - t0);
      }
    }
    results[`batch ${batch}`] = {};
    for (const [name, ts] of Object.entries(times)) {
      const ms = median(ts);
      (results[`batch ${batch}`] as Record<string, number>)[name] = ms;
      const ratio = ms / (median(times.composite as number[]) || 1);
      rows.push([String(batch), name, fmt(ms, 3), fmt(ratio, 2)]);
    }
    tf.dispose([x, mask]);
  }
  const load = (await import('node:os')).loadavg().map((l) => l.toFixed(2));
  console.log(
    `native self-attention (H ${hidden}, ${heads} heads, seq ${seq}), median of ${rounds} interleaved rounds; load ${load.join(' ')}\n`,
  );
  console.log(table(['batch', 'variant', 'ms/call', 'vs composite'], rows));
  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'attention.json'), JSON.stringify({ hidden, heads, seq, rounds, load, results }, null, 2));
  tf.dispose([wqkv, bqkv, ...Object.values(w)]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
