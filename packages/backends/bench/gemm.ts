// `pnpm bench gemm [--rounds N] [--threads N] [--quick] [--only <substring of a shape name>]`
//
// Single-precision GEMM throughput on ALBERT-base's matrix shapes (seq 128; batch 1 and 8, and
// the gradient products of a batch-4 training step: dX = dY·Wᵀ, dW = Xᵀ·dY, attention's dK, dP) for
// our native backend (the addon's packed GEMM, weight pre-packed as the backend caches it, and
// through tf.matMul with its output allocation), tfjs wasm (tf.matMul, one SIMD thread) and ONNX
// Runtime (onnxruntime-node running a one-node MatMul graph built here, weights as
// initializers), interleaved round by round. Also the machine's measured peak (backends/peak.ts):
// a timed loop of independent multiply-adds per instruction (fp32 FMA zmm / ymm, int8 vpdpbusd,
// bf16 vdpbf16ps) on one thread and on all threads at once, and the physical core count (SMT
// siblings from sysfs counted once); "% peak" is of the measured fp32 rate of the active ISA.
// Writes bench/results/gemm.json at the repo root.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/index.js';
import { loadNativeAddon } from '../src/native/index.js';
import { flag, numberOption, option } from './backends/args.js';
import { fp32Peak, measurePeaks, topology } from './backends/peak.js';
import { fmt, median, table } from './backends/stats.js';

const quick = flag('quick');
const only = flag('only') ? option('only', '') : null;
const rounds = numberOption('rounds', quick ? 3 : 7);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Shape {
  name: string;
  batch: number; // independent matrices (attention heads), 1 for a linear layer
  m: number;
  k: number;
  n: number;
  transA?: boolean; // A stored [k, m] (ONNX Runtime, which has no transpose flag, gets it as [m, k])
  transB: boolean; // B stored [n, k] (ONNX Runtime gets it as [k, n])
  weight: boolean; // B is a weight: pre-packed (native) / an initializer (ONNX Runtime)
}
const SHAPES: Shape[] = [
  { name: 'embed proj b1', batch: 1, m: 128, k: 128, n: 768, transB: false, weight: true },
  { name: 'q/k/v/o b1', batch: 1, m: 128, k: 768, n: 768, transB: false, weight: true },
  { name: 'ffn in b1', batch: 1, m: 128, k: 768, n: 3072, transB: false, weight: true },
  { name: 'ffn out b1', batch: 1, m: 128, k: 3072, n: 768, transB: false, weight: true },
  { name: 'scores q.kT b1', batch: 12, m: 128, k: 64, n: 128, transB: true, weight: false },
  { name: 'context p.v b1', batch: 12, m: 128, k: 128, n: 64, transB: false, weight: false },
  { name: 'q/k/v/o b8', batch: 1, m: 1024, k: 768, n: 768, transB: false, weight: true },
  { name: 'ffn in b8', batch: 1, m: 1024, k: 768, n: 3072, transB: false, weight: true },
  { name: 'ffn out b8', batch: 1, m: 1024, k: 3072, n: 768, transB: false, weight: true },
  { name: 'scores q.kT b8', batch: 96, m: 128, k: 64, n: 128, transB: true, weight: false },
  // Training step (2 layers, batch 4 x seq 128 = 512 rows): tfjs's matMul gradient calls
  // BatchMatMul with transpose flags; the transposed weight is cached packed like the plain one.
  { name: 'dX q/k/v/o train', batch: 1, m: 512, k: 768, n: 768, transB: true, weight: true },
  { name: 'dX ffn in train', batch: 1, m: 512, k: 3072, n: 768, transB: true, weight: true },
  { name: 'dX ffn out train', batch: 1, m: 512, k: 768, n: 3072, transB: true, weight: true },
  { name: 'dW q/k/v/o train', batch: 1, m: 768, k: 512, n: 768, transA: true, transB: false, weight: false },
  { name: 'dW ffn in train', batch: 1, m: 768, k: 512, n: 3072, transA: true, transB: false, weight: false },
  { name: 'dW ffn out train', batch: 1, m: 3072, k: 512, n: 768, transA: true, transB: false, weight: false },
  { name: 'attn dK train', batch: 48, m: 128, k: 128, n: 64, transA: true, transB: false, weight: false },
  { name: 'attn dP train', batch: 48, m: 128, k: 64, n: 128, transB: true, weight: false },
];

function random(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

// --- a one-node ONNX MatMul graph, serialised by hand (protobuf wire format) ---------------
function varint(v: number): Uint8Array {
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
const bytes = (s: string) => new TextEncoder().encode(s);
const field = (num: number, ...payload: Uint8Array[]) => {
  const body = concat(...payload);
  return concat(varint((num << 3) | 2), varint(body.length), body);
};
const intField = (num: number, v: number) => concat(varint(num << 3), varint(v));
// ValueInfoProto of a float tensor: name(1), type(2) { tensor_type(1) { elem_type(1)=FLOAT(1), shape(2) { dim(1) { dim_value(1) } } } }
const valueInfo = (name: string, dims: number[]) =>
  concat(
    field(1, bytes(name)),
    field(2, field(1, intField(1, 1), field(2, ...dims.map((d) => field(1, intField(1, d)))))),
  );

function matMulModel(s: Shape, weight: Float32Array | null): Uint8Array {
  const aDims = s.batch > 1 ? [s.batch, s.m, s.k] : [s.m, s.k];
  const bDims = s.batch > 1 ? [s.batch, s.k, s.n] : [s.k, s.n];
  const cDims = s.batch > 1 ? [s.batch, s.m, s.n] : [s.m, s.n];
  // NodeProto: input(1) A, B; output(2) C; op_type(4) MatMul
  const parts: Uint8Array[] = [
    field(1, field(1, bytes('A')), field(1, bytes('B')), field(2, bytes('C')), field(4, bytes('MatMul'))),
    field(2, bytes('matmul')),
  ];
  if (weight) {
    // TensorProto: dims(1), data_type(2)=FLOAT, name(8), raw_data(9)
    const raw = new Uint8Array(weight.buffer, weight.byteOffset, weight.byteLength);
    parts.push(field(5, ...bDims.map((d) => intField(1, d)), intField(2, 1), field(8, bytes('B')), field(9, raw)));
  }
  parts.push(field(11, valueInfo('A', aDims)));
  if (!weight) parts.push(field(11, valueInfo('B', bDims)));
  parts.push(field(12, valueInfo('C', cDims)));
  // ModelProto: ir_version(1)=8, graph(7), opset_import(8) { domain(1)="", version(2)=17 }
  return concat(intField(1, 8), field(7, ...parts), field(8, field(1), intField(2, 17)));
}

type Runner = () => Promise<void> | void;
interface Engine {
  name: string;
  prepare(
    s: Shape,
    a: Float32Array,
    b: Float32Array,
  ): Promise<{ run: Runner; result: () => Float32Array; release(): void }>;
}

async function main() {
  const addon = loadNativeAddon();
  const info = addon.info();
  const threads = numberOption('threads', info.threads);
  addon.setThreads(threads);
  const topo = topology();
  const peaks = measurePeaks(addon, threads);
  console.log(
    `cpu: ${cpus()[0]?.model ?? '?'}, ${topo.logical} logical cpus, ${topo.physical ?? '?'} physical cores (SMT siblings from sysfs)`,
  );
  console.log(`native: ${info.isa} kernels (${info.mr}x${info.nr} register block), ${threads} threads`);
  console.log(`measured peak (independent multiply-adds, thread CPU time; G ops/s, a multiply-add = 2):`);
  console.log(
    table(
      ['instruction', '1 thread', `${threads} threads`],
      peaks.map((p) => [p.label, fmt(p.oneThread, 0), fmt(p.allThreads, 0)]),
    ),
  );
  const peak = fp32Peak(peaks, info.isa) ?? Number.NaN;

  const engines: Engine[] = [];
  engines.push({
    name: 'native',
    async prepare(s, a, b) {
      const c = new Float32Array(s.batch * s.m * s.n);
      let packed: Float32Array | null = null;
      if (s.weight) {
        packed = new Float32Array(addon.packedBSize(s.k, s.n));
        addon.packB(b, s.transB, s.k, s.n, packed);
      }
      const bStride = s.weight ? 0 : s.k * s.n;
      const run = () =>
        addon.gemm(a, b, c, s.batch, s.m, s.n, s.k, s.m * s.k, bStride, !!s.transA, s.transB, packed, null, 0, 0);
      return { run, result: () => c, release() {} };
    },
  });
  const tfjsEngine = (name: string, backend: 'native' | 'wasm'): Engine => ({
    name,
    async prepare(s, a, b) {
      await tf.setBackend(backend);
      const aShape = s.transA ? [s.k, s.m] : [s.m, s.k];
      const aT =
        s.batch > 1
          ? tf.tensor3d(a, [s.batch, ...aShape] as [number, number, number])
          : tf.tensor2d(a, aShape as [number, number]);
      const bShape = s.transB ? [s.n, s.k] : [s.k, s.n];
      const bT =
        s.batch > 1
          ? tf.tensor3d(b, [s.batch, ...bShape] as [number, number, number])
          : tf.tensor2d(b, bShape as [number, number]);
      let last: tf.Tensor | null = null;
      const run = async () => {
        if (tf.getBackend() !== backend) await tf.setBackend(backend);
        last?.dispose();
        last = tf.matMul(aT, bT, !!s.transA, s.transB);
        last.dataSync();
      };
      return {
        run,
        result: () => (last as tf.Tensor).dataSync() as Float32Array,
        release() {
          tf.dispose([aT, bT, last as tf.Tensor]);
        },
      };
    },
  });
  await initBackend({ prefer: 'native', quiet: true });
  engines.push(tfjsEngine('native tf.matMul', 'native'));
  try {
    await initBackend({ prefer: 'wasm', quiet: true });
    engines.push(tfjsEngine('tfjs wasm', 'wasm'));
  } catch (err) {
    console.log(`tfjs wasm: left out (${(err as Error).message})`);
  }
  try {
    const ort = await import('onnxruntime-node');
    engines.push({
      name: 'onnxruntime',
      async prepare(s, a, b) {
        const session = await ort.InferenceSession.create(matMulModel(s, s.weight ? b : null), {
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          executionMode: 'sequential',
          graphOptimizationLevel: 'all',
        });
        const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
          A: new ort.Tensor('float32', a, s.batch > 1 ? [s.batch, s.m, s.k] : [s.m, s.k]),
        };
        if (!s.weight) feeds.B = new ort.Tensor('float32', b, s.batch > 1 ? [s.batch, s.k, s.n] : [s.k, s.n]);
        let out: Float32Array = new Float32Array(0);
        return {
          run: async () => {
            out = (await session.run(feeds)).C?.data as Float32Array;
          },
          result: () => out,
          release: () => void session.release(),
        };
      },
    });
  } catch (err) {
    console.log(`onnxruntime-node: left out (${(err as Error).message.split('\n')[0]})`);
  }

  const rows: string[][] = [];
  const results: Record<string, unknown>[] = [];
  for (const s of SHAPES) {
    if (quick && s.m > 128) continue;
    if (only != null && !s.name.includes(only)) continue;
    const flops = 2 * s.batch * s.m * s.n * s.k;
    const a = random(s.batch * s.m * s.k, 1);
    // ONNX MatMul has no transpose flag: it gets B as [k, n]; the others get it as stored.
    const bStored = random((s.weight ? 1 : s.batch) * s.k * s.n, 2);
    const prepared = [];
    for (const e of engines) {
      const ort = e.name === 'onnxruntime';
      const useA = ort && s.transA ? transposeBatched(a, s.batch, s.k, s.m) : a;
      const useB = ort && s.transB ? transposeBatched(bStored, s.weight ? 1 : s.batch, s.n, s.k) : bStored;
      prepared.push({ e, p: await e.prepare(ort ? { ...s, transA: false, transB: false } : s, useA, useB) });
    }
    // Check every engine computes the same product (the first row of the first matrix).
    const ref = prepared[0] as (typeof prepared)[number];
    await ref.p.run();
    for (const { e, p } of prepared.slice(1)) {
      await p.run();
      const x = p.result();
      const y = ref.p.result();
      for (let j = 0; j < s.n; j++) {
        if (Math.abs((x[j] as number) - (y[j] as number)) > 1e-3 * (1 + Math.abs(y[j] as number))) {
          throw new Error(`${e.name} disagrees with native on ${s.name} at column ${j}: ${x[j]} vs ${y[j]}`);
        }
      }
    }
    const times = new Map<string, number[]>(engines.map((e) => [e.name, []]));
    const budgetMs = 300;
    for (let r = 0; r < rounds; r++) {
      for (const { e, p } of prepared) {
        // Let the previous engine's threads go idle (ONNX Runtime's pool spins for a while after
        // a run and would take the second core from the next engine), then one untimed run.
        await new Promise((resolve) => setTimeout(resolve, 100));
        await p.run();
        // Each round: repeat until ~budget/rounds ms, keep the mean of the repeats.
        let reps = 0;
        const t0 = performance.now();
        do {
          await p.run();
          reps++;
        } while (performance.now() - t0 < budgetMs / rounds && reps < 200);
        times.get(e.name)?.push((performance.now() - t0) / reps);
      }
    }
    for (const { p } of prepared) p.release();
    const gflops = (name: string) => {
      const t = times.get(name);
      return t && t.length > 0 ? flops / (median(t) * 1e6) : Number.NaN;
    };
    const native = gflops('native');
    // The best round: on a shared machine, the rounds where no other process took a core.
    const nativeTimes = times.get('native') ?? [];
    const nativeBest = nativeTimes.length > 0 ? flops / (Math.min(...nativeTimes) * 1e6) : Number.NaN;
    const ortG = gflops('onnxruntime');
    rows.push([
      s.name,
      `${s.batch > 1 ? `${s.batch}x` : ''}${s.m}x${s.k}x${s.n}${s.transA ? ' Aᵀ' : ''}${s.transB ? ' Bᵀ' : ''}`,
      fmt(native),
      `${fmt((100 * native) / peak, 0)}%`,
      `${fmt(nativeBest)} (${fmt((100 * nativeBest) / peak, 0)}%)`,
      fmt(gflops('native tf.matMul')),
      fmt(gflops('tfjs wasm')),
      fmt(ortG),
      fmt(native / ortG, 2),
    ]);
    results.push({
      shape: s,
      gflops: Object.fromEntries(engines.map((e) => [e.name, gflops(e.name)])),
      nativePercentOfPeak: (100 * native) / peak,
      nativeBestGflops: nativeBest,
      nativeOverOrt: native / ortG,
    });
  }
  console.log('');
  console.log(
    table(
      ['shape', 'b x m x k x n', 'native', '% peak', 'native best', 'tf.matMul', 'wasm', 'ORT', 'native/ORT'],
      rows,
    ),
  );
  const load = loadavg().map((x) => x.toFixed(2));
  console.log(
    `\nGFLOP/s, median of interleaved rounds (native best: the fastest round); native/ORT > 1 means native is faster. Load average after: ${load.join(', ')}`,
  );
  const out = join(repoRoot, 'bench', 'results', 'gemm.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, isa: info.isa, threads, topology: topo, peakGflops: peak, measuredPeaks: peaks, loadAverage: loadavg(), results }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
}

function transposeBatched(b: Float32Array, batch: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(b.length);
  for (let z = 0; z < batch; z++) {
    const o = z * rows * cols;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[o + j * rows + i] = b[o + i * cols + j] as number;
  }
  return out;
}

await main();
