// Pipeline results as JSON: typed arrays become plain arrays, and feature-extraction's
// { data, dims } becomes the nested lists Hugging Face's API answers with ([tokens][hidden] or [hidden]).
import type { Features } from 'albert-ts';

/** { data, dims } → nested number arrays of shape dims. */
export function nested(features: Features): unknown {
  const { data, dims } = features;
  const build = (offset: number, axis: number): unknown => {
    const n = dims[axis] as number;
    if (axis === dims.length - 1) return Array.from(data.subarray(offset, offset + n));
    const stride = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, i) => build(offset + i * stride, axis + 1));
  };
  return dims.length === 0 ? [] : build(0, 0);
}

/** A deep copy of `value` with typed arrays as arrays (JSON.stringify would write them as objects). */
export function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plain);
  if (value != null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}
