import { SafetensorsError } from './errors.js';
import { parseHeader } from './header.js';
import { typedFromBytes } from './tensor-data.js';
import type { SafetensorsFile, SafetensorsHeader, TensorEntry } from './types.js';

function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Builds the tensors of a validated header from the bytes of its data section. */
export function tensorsFromData(header: SafetensorsHeader, data: Uint8Array): SafetensorsFile {
  const tensors = new Map<string, TensorEntry>();
  for (const { name, dtype, shape, begin, end } of header.entries) {
    const bytes = data.subarray(begin, end);
    tensors.set(name, { name, dtype, shape, data: typedFromBytes(bytes, dtype, elementCount(shape)) });
  }
  return { metadata: header.metadata, tensors };
}

/**
 * Parses a whole safetensors file held in memory (browser or Node). The header is validated
 * completely before any tensor is built. F32, I32 and I64 tensors whose offsets are aligned are
 * views into `bytes` (no copy: keep `bytes` unchanged while you use them); F16 and BF16 are decoded
 * to Float32Array. Throws SafetensorsError naming the failed check and the tensor.
 */
export function parseSafetensors(bytes: Uint8Array | ArrayBuffer): SafetensorsFile {
  let view: Uint8Array;
  if (bytes instanceof Uint8Array) view = bytes;
  else if (bytes instanceof ArrayBuffer) view = new Uint8Array(bytes);
  else {
    throw new SafetensorsError('input', 'parseSafetensors takes a Uint8Array or an ArrayBuffer with the file bytes');
  }
  const header = parseHeader(view);
  return tensorsFromData(header, view.subarray(header.dataStart));
}
