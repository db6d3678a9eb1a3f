// Writing safetensors the way the reference writer does (safetensors/src/tensor.rs, `prepare`):
// tensors sorted by dtype alignment (descending) then by name, offsets packed from 0, compact JSON
// with "__metadata__" first, the header padded with spaces to a multiple of 8 so every tensor's
// data starts 8-byte aligned in the file.

import { DTYPE_RANK, DTYPE_SIZE, isSupportedDtype } from './dtypes.js';
import { SafetensorsError } from './errors.js';
import { bytesOfTensor, checkDataType } from './tensor-data.js';
import type { TensorEntry } from './types.js';

export type TensorsInput = Iterable<TensorEntry> | Map<string, TensorEntry>;

/** The default metadata, as PyTorch-side `save_pretrained` writes it (transformers checks `format`). */
export const DEFAULT_METADATA: Readonly<Record<string, string>> = Object.freeze({ format: 'pt' });

export interface SerializationPlan {
  /** The 8-byte length followed by the padded JSON header. */
  head: Uint8Array;
  /** Tensors in file order. */
  order: TensorEntry[];
  /** Total file size in bytes. */
  totalBytes: number;
}

const encoder = new TextEncoder();

/** Compares like Rust's `str::cmp` (UTF-8 byte order, which is code point order). */
function compareNames(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function collect(tensors: TensorsInput): TensorEntry[] {
  const list: TensorEntry[] = [];
  const seen = new Set<string>();
  const isMap = tensors instanceof Map;
  for (const item of isMap ? tensors.entries() : (tensors as Iterable<TensorEntry>)) {
    const [key, entry] = isMap ? (item as [string, TensorEntry]) : [undefined, item as TensorEntry];
    if (typeof entry !== 'object' || entry === null) {
      throw new SafetensorsError('tensor entry', 'each tensor must be an object {name, dtype, shape, data}');
    }
    const name = key ?? entry.name;
    if (key !== undefined && entry.name !== undefined && entry.name !== key) {
      throw new SafetensorsError('name', `the map key ${JSON.stringify(key)} differs from the entry's name`, {
        tensor: entry.name,
      });
    }
    if (typeof name !== 'string' || name.length === 0) {
      throw new SafetensorsError('name', 'every tensor needs a non-empty string name');
    }
    if (name === '__metadata__') {
      throw new SafetensorsError('name', '"__metadata__" is reserved for the metadata map', { tensor: name });
    }
    if (seen.has(name)) throw new SafetensorsError('name', 'the name appears twice', { tensor: name });
    seen.add(name);
    if (!isSupportedDtype(entry.dtype)) {
      throw new SafetensorsError(
        'dtype',
        `${JSON.stringify(entry.dtype)} is not one of F32, F16, BF16, I64, I32, I8, U8, BOOL`,
        {
          tensor: name,
        },
      );
    }
    if (!Array.isArray(entry.shape) || entry.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new SafetensorsError('shape', `expected non-negative integers, got ${JSON.stringify(entry.shape)}`, {
        tensor: name,
      });
    }
    checkDataType(name, entry.dtype, entry.data);
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.data.length !== count) {
      throw new SafetensorsError(
        'shape',
        `shape [${entry.shape.join(', ')}] has ${count} elements but the data has ${entry.data.length}`,
        { tensor: name },
      );
    }
    list.push(entry.name === name ? entry : { ...entry, name });
  }
  return list;
}

function checkMetadata(metadata: Record<string, string>): void {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') {
      throw new SafetensorsError('__metadata__', `the value of ${JSON.stringify(key)} must be a string`);
    }
  }
}

/**
 * Orders the tensors and builds the header. `metadata` defaults to {format: "pt"}; pass null to
 * write no "__metadata__" key at all.
 */
export function planSafetensors(tensors: TensorsInput, metadata?: Record<string, string> | null): SerializationPlan {
  const order = collect(tensors).sort(
    (a, b) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || compareNames(a.name, b.name),
  );
  const meta = metadata === undefined ? DEFAULT_METADATA : metadata;
  const parts: string[] = [];
  if (meta !== null) {
    checkMetadata(meta);
    parts.push(`"__metadata__":${JSON.stringify(meta)}`);
  }
  let offset = 0;
  for (const t of order) {
    const bytes = t.data.length * DTYPE_SIZE[t.dtype];
    parts.push(
      `${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${offset + bytes}]}`,
    );
    offset += bytes;
  }
  const json = encoder.encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  const head = new Uint8Array(8 + padded).fill(0x20, 8 + json.length);
  new DataView(head.buffer).setBigUint64(0, BigInt(padded), true);
  head.set(json, 8);
  return { head, order, totalBytes: head.length + offset };
}

/** The bytes of one tensor in file order (a view over its data unless it is F16/BF16). */
export { bytesOfTensor };

/**
 * Serializes tensors to safetensors bytes that Python's `safetensors` reads (and, for the same
 * tensors and metadata, writes identically). F16/BF16 entries hold Float32Array values and are
 * rounded to nearest even on write.
 */
export function serializeSafetensors(tensors: TensorsInput, metadata?: Record<string, string> | null): Uint8Array {
  const plan = planSafetensors(tensors, metadata);
  const out = new Uint8Array(plan.totalBytes);
  out.set(plan.head, 0);
  let offset = plan.head.length;
  for (const t of plan.order) {
    const bytes = bytesOfTensor(t.dtype, t.data);
    out.set(bytes, offset);
    offset += bytes.length;
  }
  return out;
}
