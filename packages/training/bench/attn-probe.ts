import { performance } from 'node:perf_hooks';
import { loadNativeAddon } from '../../backends/src/native/index.js';

const addon = loadNativeAddon();
addon.setThreads(Number(process.env.T ?? 1));
const ghz = addon.cpuGhz();
const [b, s, H, h] = [32, 128, 256, 4];
const rnd = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5);
const q = rnd(b * s * H),
  k = rnd(b * s * H),
  v = rnd(b * s * H),
  mask = new Float32Array(b * s);
const out = new Float32Array(b * s * H),
  probs = new Float32Array(b * h * s * s),
  dprobs = new Float32Array(b * h * s * s);
const dq = new Float32Array(b * s * H),
  dk = new Float32Array(b * s * H),
  dv = new Float32Array(b * s * H);
const d = H / h;
const fwdFlops = b * h * 2 * (2 * s * s * d);
const bwdFlops = 2 * fwdFlops;
const time = (f: () => void) => {
  f();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  return best;
};
const tf = time(() => addon.attentionCore!(q, k, v, mask, out, probs, b, s, H, h, 0.125));
const tb = time(() => addon.attentionCoreGrad!(out, dprobs, q, k, v, probs, dq, dk, dv, b, s, H, h, 0.125));
const tbn = time(() => addon.attentionCoreGrad!(out, null, q, k, v, probs, dq, dk, dv, b, s, H, h, 0.125));
const peak = ghz * 64;
console.log(
  `forward ${tf.toFixed(1)} ms cpu, ${(fwdFlops / tf / 1e6).toFixed(0)} GFLOP/s (${((100 * fwdFlops) / tf / 1e6 / peak).toFixed(0)}%)`,
);
console.log(
  `backward ${tb.toFixed(1)} ms cpu, ${(bwdFlops / tb / 1e6).toFixed(0)} GFLOP/s (${((100 * bwdFlops) / tb / 1e6 / peak).toFixed(0)}%); without dprobs ${tbn.toFixed(1)} ms`,
);
