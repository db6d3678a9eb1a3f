// The matrix products of ALBERT-base forwards, run as bare GEMMs on the native addon: what the
// forwards would take if they were nothing but their products, at the kernel's own speed. Same
// shapes and count as AlbertModel's forward (no pooler): per forward on [b, s] (m = b·s rows),
// the embedding projection [m, E]·[E, H], then per layer the fused Q/K/V [m, H]·[H, 3H], the scores
// Q_h·K_hᵀ and context P·V_h of every head (b·heads products of [s, d]·[d, s] and [s, s]·[s, d]),
// the output dense [m, H]·[H, H], the FFN [m, H]·[H, I] with gelu_new in the epilogue, and
// [m, I]·[I, H]; weights pre-packed once (as the backend caches them), bias in the epilogue.
import { FUSED_ACTIVATION_CODES } from '@albert-ts/common';
import type { Shape } from '../../backends/bench/backends/flops.js';
import type { NativeAddon } from '../../backends/src/native/addon.js';

type Weight = { raw: Float32Array; packed: Float32Array; bias: Float32Array; k: number; n: number };

function random(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 0.1;
  }
  return out;
}

/** A runner of the products of forwards on `chunks` ([batch, seq] each), buffers sized once. */
export function bareProducts(
  addon: NativeAddon,
  shape: Shape,
  heads: number,
  chunks: { batch: number; seq: number }[],
) {
  const { embedding: E, hidden: H, intermediate: I, layers } = shape;
  const d = H / heads;
  const weight = (k: number, n: number, seed: number): Weight => {
    const raw = random(k * n, seed);
    const packed = new Float32Array(addon.packedBSize(k, n));
    addon.packB(raw, false, k, n, packed);
    return { raw, packed, bias: random(n, seed + 1), k, n };
  };
  const proj = weight(E, H, 1);
  const qkv = weight(H, 3 * H, 3);
  const dense = weight(H, H, 5);
  const ffn = weight(H, I, 7);
  const ffnOut = weight(I, H, 9);
  const rows = Math.max(...chunks.map((c) => c.batch * c.seq));
  const seq = Math.max(...chunks.map((c) => c.seq));
  const batch = Math.max(...chunks.map((c) => c.batch));
  const x = random(rows * I, 11); // any activation [m, ≤ I]
  const y = new Float32Array(rows * Math.max(3 * H, I));
  const q = random(batch * heads * seq * d, 13); // [b·heads, s, d]
  const scores = new Float32Array(batch * heads * seq * seq); // [b·heads, s, s]
  const context = new Float32Array(batch * heads * seq * d);
  const gelu = FUSED_ACTIVATION_CODES.gelu_new;
  const linear = (w: Weight, m: number, act = 0) =>
    addon.gemm(x, w.raw, y, 1, m, w.n, w.k, m * w.k, 0, false, false, w.packed, w.bias, act, 1);
  return () => {
    for (const { batch: b, seq: s } of chunks) {
      const m = b * s;
      const bh = b * heads;
      linear(proj, m);
      for (let l = 0; l < layers; l++) {
        linear(qkv, m);
        addon.gemm(q, q, scores, bh, s, s, d, s * d, s * d, false, true, null, null, 0, 1); // Q_h·K_hᵀ
        addon.gemm(scores, q, context, bh, s, d, s, s * s, s * d, false, false, null, null, 0, 1); // P·V_h
        linear(dense, m);
        linear(ffn, m, gelu);
        linear(ffnOut, m);
      }
    }
  };
}
