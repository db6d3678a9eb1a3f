// `pnpm bench attention [--batch 1,8] [--seq N] [--rounds N] [--forward] [--ort]`
//
// One ALBERT-base self-attention (H 768, 12 heads, seq 128, the output dense included) on the
// native backend, interleaved in one process: core's selfAttention with the fused
// AlbertSelfAttention kernel, the same call on the composite path (linears, head transposes,
// batched matmuls, AlbertMaskedSoftmax), and the QKV product alone (x · [H, 3H] + bias, the
// kernel's GEMM) as a floor. With --forward, also whole AlbertModel forwards (the base-shape
// fixture from /work/shared when present, else random base-shape weights): the default forward
// (fused attention) against one asking for attentions (the composite path, as before the
// kernel). With --ort (needs --forward), ONNX Runtime's forward of the same weights
// (/work/shared/fixtures/onnx/albert-base-shape/model.onnx, as many threads as native) joins the
// rounds, so both native forwards get a ratio to it. Median ms per call; writes
// bench/results/attention.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, maskNegative } from '../src/index.js';
import { loadNativeAddon } from '../src/native/addon.js';
import { flag, option } from './backends/args.js';
import { loadCore } from './backends/core.js';
import { benchInputs } from './backends/inputs.js';
import { createOrtEngine, type OrtEngine } from './backends/ort-engine.js';
import { fmt, median, table } from './backends/stats.js';

const batches = option('batch', '1,8').split(',').map(Number);
const seq = Number(option('seq', '128'));
const rounds = Number(option('rounds', '15'));
const forward = flag('forward');
const withOrt = forward && flag('ort');
const [hidden, heads] = [768, 12];
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const weightsDir = join(repoRoot, '..', 'shared', 'fixtures', 'hf-albert', 'base-shape');
const onnxPath = join(repoRoot, '..', 'shared', 'fixtures', 'onnx', 'albert-base-shape', 'model.onnx');

type Weights = Record<
  'query' | 'queryBias' | 'key' | 'keyBias' | 'value' | 'valueBias' | 'dense' | 'denseBias',
  tf.Tensor
>;
type Inputs = Record<'inputIds' | 'attentionMask' | 'tokenTypeIds', tf.Tensor2D>;
interface Model {
  forward(inputs: Inputs, options?: { outputAttentions?: boolean }): { lastHiddenState: tf.Tensor3D };
  dispose(): void;
}
// The part of @albert-ts/core this benchmark uses (backends cannot depend on core).
interface CoreSurface {
  selfAttention?: (
    x: tf.Tensor3D,
    mask: tf.Tensor4D,
    w: Weights,
    heads: number,
    dropout: number,
    ctx: { training: boolean; nextSeed: () => number },
    options?: { outputProbs?: boolean },
  ) => { context: tf.Tensor3D; probs?: tf.Tensor4D };
  AlbertModel: {
    new (config: unknown, options?: { seed?: number }): Model;
    fromPretrained(source: string, options?: { warn?: (m: string) => void }): Promise<Model>;
  };
  albertPreset(name: string): unknown;
}

async function main() {
  await initBackend({ prefer: 'native', quiet: true });
  const core = (await loadCore(repoRoot)) as unknown as CoreSurface;
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
  let model: Model | null = null;
  if (forward) {
    const have = existsSync(join(weightsDir, 'model.safetensors'));
    if (!have) console.log(`base-shape fixture not found at ${weightsDir}: random base-shape weights`);
    model = have
      ? await core.AlbertModel.fromPretrained(weightsDir, { warn: () => {} })
      : new core.AlbertModel(core.albertPreset('albert-base-v2'), { seed: 1 });
  }
  let ort: OrtEngine | null = null;
  if (withOrt) {
    if (existsSync(onnxPath)) ort = await createOrtEngine(onnxPath, loadNativeAddon().info().threads);
    else console.log(`ONNX model not found at ${onnxPath}: no ONNX Runtime rows`);
  }
  const rows: string[][] = [];
  const results: Record<string, Record<string, number>> = {};

  for (const batch of batches) {
    const x = tf.randomNormal([batch, seq, hidden], 0, 1, 'float32', 9) as tf.Tensor3D;
    // The last item pads a quarter of its keys.
    const maskValues = new Float32Array(batch * seq);
    for (let j = Math.floor((3 * seq) / 4); j < seq; j++) maskValues[(batch - 1) * seq + j] = maskNegative();
    const mask = tf.tensor4d(maskValues, [batch, 1, 1, seq]);
    const ids = benchInputs(batch, seq, 30000);
    const inputs: Inputs = {
      inputIds: tf.tensor2d(ids.inputIds, [batch, seq], 'int32'),
      attentionMask: tf.tensor2d(ids.attentionMask, [batch, seq], 'int32'),
      tokenTypeIds: tf.tensor2d(ids.tokenTypeIds, [batch, seq], 'int32'),
    };
    // Each variant returns its tensors, the one to wait for first.
    const variants: Record<string, () => tf.Tensor[]> = {
      fused: () => [selfAttention(x, mask, w, heads, 0, ctx, { outputProbs: false }).context],
      composite: () => {
        const { context, probs } = selfAttention(x, mask, w, heads, 0, ctx);
        return [context, probs as tf.Tensor4D];
      },
      'qkv gemm only': () => [
        tf.fused.matMul({ a: tf.reshape(x, [batch * seq, hidden]) as tf.Tensor2D, b: wqkv, bias: bqkv }),
      ],
    };
    if (model != null) {
      const m = model;
      const all = (out: object) => Object.values(out).flat() as tf.Tensor[];
      variants['forward, fused'] = () => all(m.forward(inputs));
      variants['forward, composite'] = () => all(m.forward(inputs, { outputAttentions: true }));
    }
    const ortTimes: number[] = [];
    const once = (f: () => tf.Tensor[]) => {
      const out = f();
      out[0]?.dataSync();
      tf.dispose(out);
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (const f of Object.values(variants)) for (let i = 0; i < 3; i++) once(f); // warm up, pack weights
    // Pools (ours and ORT's) spin for a while after a run: a short pause keeps runs apart.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
    // Every round runs each variant once, starting one later than the round before: whatever
    // runs first after a pause (or after ORT, whose threads keep spinning for a while) rotates.
    const steps: [string, () => Promise<void>][] = Object.entries(variants).map(([name, f]) => [
      name,
      async () => {
        const t0 = performance.now();
        once(f);
        times[name]?.push(performance.now() - t0);
      },
    ]);
    if (ort != null) {
      const o = ort;
      for (let i = 0; i < 2; i++) await o.run(ids); // warm up
      steps.push([
        'onnxruntime',
        async () => {
          const t0 = performance.now();
          await o.run(ids);
          ortTimes.push(performance.now() - t0);
        },
      ]);
    }
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < steps.length; i++) {
        await settle();
        await (steps[(round + i) % steps.length] as (typeof steps)[number])[1]();
      }
    }
    const item: Record<string, number> = {};
    results[`batch ${batch}`] = item;
    for (const [name, ts] of Object.entries(times)) {
      const ms = median(ts);
      item[name] = ms;
      const base = median((name.startsWith('forward') ? times['forward, composite'] : times.composite) ?? []);
      const vsOrt = ortTimes.length > 0 && name.startsWith('forward') ? fmt(ms / median(ortTimes), 3) : '';
      rows.push([String(batch), name, fmt(ms, 2), fmt(Math.min(...ts), 2), fmt(ms / base, 3), vsOrt]);
    }
    if (ortTimes.length > 0) {
      item['forward, onnxruntime'] = median(ortTimes);
      rows.push([
        String(batch),
        'forward, onnxruntime',
        fmt(median(ortTimes), 2),
        fmt(Math.min(...ortTimes), 2),
        '',
        '1.000',
      ]);
    }
    tf.dispose([x, mask, inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
  }
  const load = loadavg().map((l) => l.toFixed(2));
  console.log(
    `native self-attention (H ${hidden}, ${heads} heads, seq ${seq}), median of ${rounds} interleaved rounds; load ${load.join(' ')}\n`,
  );
  // On a shared host the minimum is the run least disturbed by other work; ratios use medians.
  console.log(table(['batch', 'variant', 'median ms', 'min ms', 'vs composite', 'vs ORT'], rows));
  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'attention.json'), JSON.stringify({ hidden, heads, seq, rounds, load, results }, null, 2));
  tf.dispose([wqkv, bqkv, ...Object.values(w)]);
  model?.dispose();
  await ort?.release();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
