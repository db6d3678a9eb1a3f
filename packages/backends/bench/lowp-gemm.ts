// `pnpm bench lowp-gemm [--threads N] [--reps N] [--path avx512|avx2|scalar] [--batch N]`
//
// The q8 linear (native/src/lowp.cc: per-row activation quantization, the vpdpbusd product and
// its dequantize + bias + activation epilogue) on the four ALBERT-base shapes at seq 128, timed
// by process CPU time (with --threads 1 what a loaded machine disturbs least; wall time is
// printed too), against the measured vpdpbusd peak of one thread. Prints a table and writes
// bench/results/lowp-gemm.json. The two "quantization probe" rows have 16 output columns, so
// they time what a call costs besides the product (quantizing the activation rows, the pool).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FUSED_ACTIVATION_CODES, quantizeQ8 } from '@albert-ts/common';
import { loadNativeAddon } from '../src/native/addon.js';
import { option } from './backends/args.js';
import { fmt, median, table } from './backends/stats.js';

const threads = Number(option('threads', '1'));
const reps = Number(option('reps', '20'));
const batch = Number(option('batch', '1'));
const path = option('path', '') || undefined;

const addon = loadNativeAddon();
addon.setThreads(threads);
const m = batch * 128;
// name, k, n, activation: the ALBERT-base Linears of one layer.
const shapes: [string, number, number, 'linear' | 'gelu_new'][] = [
  ['qkv (768 -> 2304)', 768, 2304, 'linear'],
  ['attention dense (768 -> 768)', 768, 768, 'linear'],
  ['ffn (768 -> 3072) + gelu', 768, 3072, 'gelu_new'],
  ['ffn_output (3072 -> 768)', 3072, 768, 'linear'],
  // One strip of output: the product is ~1% of these calls, so they time the per-call overhead and
  // the activation quantization of [m, 768] and [m, 3072] (the inputs of qkv/dense/ffn and ffn_output).
  ['quantization probe (768 -> 16)', 768, 16, 'linear'],
  ['quantization probe (3072 -> 16)', 3072, 16, 'linear'],
];
let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 32 - 0.5;
};
const peak = addon.peakOps?.('int8-vnni', 20, 1) ?? Number.NaN;
const rows: string[][] = [];
const results: Record<string, unknown>[] = [];
for (const [name, k, n, act] of shapes) {
  const w = Float32Array.from({ length: k * n }, () => rand() * 0.1);
  const q = quantizeQ8(w, k, n);
  const x = Float32Array.from({ length: m * k }, () => rand() * 2);
  const bias = Float32Array.from({ length: n }, () => rand());
  const y = new Float32Array(m * n);
  const code = FUSED_ACTIVATION_CODES[act];
  const run = () =>
    addon.q8Linear?.(x, q.weight, q.scale, q.colSum, bias, y, m, k, n, code, path as 'avx512' | undefined);
  for (let i = 0; i < 3; i++) run();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const gops = (2 * m * k * n) / 1e9;
  const cpuMs = median(cpu);
  const rate = gops / (cpuMs / 1000) / threads;
  rows.push([name, fmt(cpuMs, 3), fmt(median(wall), 3), fmt(rate, 0), fmt((100 * rate) / peak, 1)]);
  results.push({ name, m, k, n, cpuMs, wallMs: median(wall), gopsPerThread: rate });
}
console.log(
  `q8 linear, m = ${m}, ${threads} thread(s), path ${path ?? addon.info().q8Path ?? 'default'}; vpdpbusd peak ${fmt(peak, 0)} G ops/s per thread (measured)\n`,
);
console.log(table(['shape', 'cpu ms', 'wall ms', 'G ops/s/thread (cpu)', '% of peak'], rows));
const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'lowp-gemm.json'), JSON.stringify({ threads, m, peak, results }, null, 2));
