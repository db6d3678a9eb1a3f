// The low-precision copies of AlbertModel's Linear weights for `dtype: 'q8' | 'bf16'`
// (@albert-ts/common's CONTRACTS.md, "Low-precision weights"): packed once from the fp32
// variables (at load time, or by setDtype after the weights changed), run by the backend's
// AlbertLinearQ8 / AlbertLinearBf16 and AlbertSelfAttentionQ8 / Bf16 kernels. Embeddings,
// LayerNorms, the pooler and task heads stay fp32, as do the attention scores and softmax.
// The fp32 variables are kept (training, saving, backends without these kernels).
import {
  AlbertLinearBf16,
  AlbertLinearQ8,
  AlbertSelfAttentionBf16,
  AlbertSelfAttentionQ8,
  concatColumns,
  LOW_PRECISION_STRIP,
  type LowPrecisionDtype,
  packBf16,
  quantizeQ8,
} from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from '../config/albert-config.js';
import { ConfigError } from '../errors.js';
import { hasFusedKernel } from '../ops/fused.js';
import { layerPrefix } from './parameter-specs.js';

/** How AlbertModel stores its Linear weights for inference. */
export type ModelDtype = 'fp32' | LowPrecisionDtype;

/** One packed Linear weight (q8 also carries its per-column scale and column sums). */
export type LowPrecisionWeight =
  | { dtype: 'q8'; weight: tf.Tensor3D; weightScale: tf.Tensor1D; weightColSum: tf.Tensor1D }
  | { dtype: 'bf16'; weight: tf.Tensor3D };

/** The fused Q/K/V projection of one inner layer: [Wq | Wk | Wv] packed, and [bq | bk | bv]. */
export type LowPrecisionQkv = LowPrecisionWeight & { bias: tf.Tensor1D };

export interface LowPrecisionWeights {
  dtype: LowPrecisionDtype;
  /** By Linear name without '.weight' ('encoder.embedding_hidden_mapping_in', '<layer>.ffn', …). */
  linear: Map<string, LowPrecisionWeight>;
  /** By inner-layer prefix ('encoder.albert_layer_groups.0.albert_layers.0'). */
  qkv: Map<string, LowPrecisionQkv>;
}

export const MODEL_DTYPES: readonly ModelDtype[] = ['fp32', 'q8', 'bf16'];

export function checkDtype(dtype: unknown): ModelDtype {
  if (!MODEL_DTYPES.includes(dtype as ModelDtype)) {
    throw new ConfigError(
      `dtype must be one of ${MODEL_DTYPES.map((d) => `'${d}'`).join(', ')}; got ${JSON.stringify(dtype)}.`,
    );
  }
  return dtype as ModelDtype;
}

/** The kernels a backend must register to run `dtype`. */
export function lowPrecisionKernels(dtype: LowPrecisionDtype): [string, string] {
  return dtype === 'q8' ? [AlbertLinearQ8, AlbertSelfAttentionQ8] : [AlbertLinearBf16, AlbertSelfAttentionBf16];
}

/** True when the current backend runs `dtype` natively. */
export function lowPrecisionAvailable(dtype: LowPrecisionDtype): boolean {
  return lowPrecisionKernels(dtype).every((name) => hasFusedKernel(name as 'AlbertLinearQ8'));
}

function pack(dtype: LowPrecisionDtype, values: Float32Array, inDim: number, outDim: number): LowPrecisionWeight {
  const strips = Math.ceil(outDim / LOW_PRECISION_STRIP);
  if (dtype === 'q8') {
    const q = quantizeQ8(values, inDim, outDim);
    return {
      dtype,
      weight: tf.tensor3d(q.weight, [strips, Math.ceil(inDim / 4), LOW_PRECISION_STRIP], 'int32'),
      weightScale: tf.tensor1d(q.scale, 'float32'),
      weightColSum: tf.tensor1d(q.colSum, 'int32'),
    };
  }
  const b = packBf16(values, inDim, outDim);
  return { dtype, weight: tf.tensor3d(b.weight, [strips, Math.ceil(inDim / 2), LOW_PRECISION_STRIP], 'int32') };
}

type Getter = (name: string) => tf.Tensor;

/** Packs every encoder Linear of `config` from the fp32 parameters (`p` by HF name without 'albert.'). */
export function packLowPrecision(config: AlbertConfig, p: Getter, dtype: LowPrecisionDtype): LowPrecisionWeights {
  const out: LowPrecisionWeights = { dtype, linear: new Map(), qkv: new Map() };
  const values = (name: string) => p(name).dataSync() as Float32Array;
  const addLinear = (name: string) => {
    const w = p(`${name}.weight`);
    const [inDim, outDim] = w.shape as [number, number];
    out.linear.set(name, pack(dtype, values(`${name}.weight`), inDim, outDim));
  };
  addLinear('encoder.embedding_hidden_mapping_in');
  const H = config.hiddenSize;
  for (let g = 0; g < config.numHiddenGroups; g++) {
    for (let j = 0; j < config.innerGroupNum; j++) {
      const prefix = layerPrefix(g, j);
      const at = `${prefix}.attention`;
      const wqkv = concatColumns(
        [values(`${at}.query.weight`), values(`${at}.key.weight`), values(`${at}.value.weight`)],
        H,
      );
      const bias = new Float32Array(3 * H);
      bias.set(values(`${at}.query.bias`), 0);
      bias.set(values(`${at}.key.bias`), H);
      bias.set(values(`${at}.value.bias`), 2 * H);
      out.qkv.set(prefix, { ...pack(dtype, wqkv, H, 3 * H), bias: tf.tensor1d(bias, 'float32') });
      addLinear(`${at}.dense`);
      addLinear(`${prefix}.ffn`);
      addLinear(`${prefix}.ffn_output`);
    }
  }
  return out;
}

export function disposeLowPrecision(w: LowPrecisionWeights | null): void {
  if (w == null) return;
  for (const l of [...w.linear.values(), ...w.qkv.values()])
    tf.dispose(Object.values(l).filter((t) => t instanceof tf.Tensor));
  w.linear.clear();
  w.qkv.clear();
}
