import { performance } from 'node:perf_hooks';
import { loadNativeAddon } from '../../backends/src/native/index.js';

const addon = loadNativeAddon();
const threads = Number(process.env.T ?? 1);
addon.setThreads(threads);
const ghz = addon.cpuGhz();
const info = addon.info();
type S = { name: string; batch: number; m: number; k: number; n: number; ta?: boolean; tb?: boolean; packed?: boolean };
const shapes: S[] = [
  { name: 'qkvo fwd', batch: 1, m: 4096, k: 256, n: 256, packed: true },
  { name: 'ffn in fwd', batch: 1, m: 4096, k: 256, n: 1024, packed: true },
  { name: 'ffn out fwd', batch: 1, m: 4096, k: 1024, n: 256, packed: true },
  { name: 'dX qkvo', batch: 1, m: 4096, k: 256, n: 256, tb: true, packed: true },
  { name: 'dX ffn in', batch: 1, m: 4096, k: 1024, n: 256, tb: true, packed: true },
  { name: 'dW qkvo', batch: 1, m: 256, k: 4096, n: 256, ta: true },
  { name: 'dW ffn in', batch: 1, m: 256, k: 4096, n: 1024, ta: true },
  { name: 'dW ffn out', batch: 1, m: 1024, k: 4096, n: 256, ta: true },
  { name: 'scores', batch: 128, m: 128, k: 64, n: 128, tb: true },
  { name: 'p.v', batch: 128, m: 128, k: 128, n: 64 },
  { name: 'mlm dec', batch: 1, m: 600, k: 128, n: 16000, tb: true, packed: true },
  { name: 'mlm dX', batch: 1, m: 600, k: 16000, n: 128 },
  { name: 'mlm dW', batch: 1, m: 16000, k: 600, n: 128, ta: true },
];
const rnd = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5);
const reps = Number(process.env.R ?? 5);
console.log(`isa ${info.isa} mr ${info.mr} nr ${info.nr}, ${threads} threads, ${ghz.toFixed(2)} GHz`);
for (const s of shapes) {
  const a = rnd(s.batch * s.m * s.k),
    b = rnd(s.batch * s.k * s.n),
    c = new Float32Array(s.batch * s.m * s.n);
  let packed: Float32Array | null = null;
  if (s.packed) {
    packed = new Float32Array(addon.packedBSize(s.k, s.n));
    addon.packB(b, !!s.tb, s.k, s.n, packed);
  }
  const run = () =>
    addon.gemm(
      a,
      b,
      c,
      s.batch,
      s.m,
      s.n,
      s.k,
      s.m * s.k,
      s.batch > 1 ? s.k * s.n : 0,
      !!s.ta,
      !!s.tb,
      packed,
      null,
      0,
      0,
    );
  run();
  let bestCpu = Infinity,
    bestWall = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    const wall = performance.now() - t0;
    const cu = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (cu.user + cu.system) / 1000);
    bestWall = Math.min(bestWall, wall);
  }
  const gf = (2 * s.batch * s.m * s.k * s.n) / 1e9;
  const corePeak = ghz * 64; // Zen 5: 2 x 512-bit FMA per cycle
  console.log(
    `${s.name.padEnd(12)} ${(gf / (bestWall / 1000)).toFixed(0).padStart(5)} GFLOP/s wall, ${(gf / (bestCpu / 1000)).toFixed(0).padStart(5)} per cpu-s (${((100 * gf) / (bestCpu / 1000) / corePeak).toFixed(0)}% of one core's avx512 peak)`,
  );
}
