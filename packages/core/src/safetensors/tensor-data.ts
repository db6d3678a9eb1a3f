// Turning a validated range of bytes into the typed array a TensorEntry holds, and back.

import { SafetensorsError } from './errors.js';
import { decode16, encode16 } from './float16.js';
import type { SafetensorsDtype, TensorData } from './types.js';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // safetensors is little-endian and the views below reinterpret bytes in host order.
  throw new SafetensorsError('platform', 'albert-ts reads safetensors only on little-endian hosts');
}

/**
 * The typed array for `count` elements of `dtype` whose bytes are `bytes`.
 * F32/I32/I64 are views into `bytes` (no copy) when the offset is aligned, copies otherwise;
 * F16/BF16 are decoded into a new Float32Array.
 */
export function typedFromBytes(bytes: Uint8Array, dtype: SafetensorsDtype, count: number): TensorData {
  const { buffer, byteOffset } = bytes;
  switch (dtype) {
    case 'F32':
      return byteOffset % 4 === 0
        ? new Float32Array(buffer, byteOffset, count)
        : new Float32Array(bytes.slice(0, count * 4).buffer);
    case 'I32':
      return byteOffset % 4 === 0
        ? new Int32Array(buffer, byteOffset, count)
        : new Int32Array(bytes.slice(0, count * 4).buffer);
    case 'I64':
      return byteOffset % 8 === 0
        ? new BigInt64Array(buffer, byteOffset, count)
        : new BigInt64Array(bytes.slice(0, count * 8).buffer);
    case 'F16':
    case 'BF16': {
      const bits =
        byteOffset % 2 === 0
          ? new Uint16Array(buffer, byteOffset, count)
          : new Uint16Array(bytes.slice(0, count * 2).buffer);
      return decode16(bits, dtype);
    }
    case 'I8':
      return new Int8Array(buffer, byteOffset, count);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buffer, byteOffset, count);
  }
}

const EXPECTED_ARRAY: Record<SafetensorsDtype, string> = {
  F32: 'Float32Array',
  F16: 'Float32Array',
  BF16: 'Float32Array',
  I32: 'Int32Array',
  I64: 'BigInt64Array',
  I8: 'Int8Array',
  U8: 'Uint8Array',
  BOOL: 'Uint8Array',
};

/** Checks that `data` is the array type `dtype` is held in (see TensorEntry). */
export function checkDataType(name: string, dtype: SafetensorsDtype, data: unknown): void {
  const expected = EXPECTED_ARRAY[dtype];
  const ok =
    expected === 'Float32Array'
      ? data instanceof Float32Array
      : expected === 'Int32Array'
        ? data instanceof Int32Array
        : expected === 'BigInt64Array'
          ? data instanceof BigInt64Array
          : expected === 'Int8Array'
            ? data instanceof Int8Array
            : data instanceof Uint8Array;
  if (!ok) {
    const got = (data as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof data;
    throw new SafetensorsError('tensor data', `${dtype} data must be a ${expected}, got ${got}`, { tensor: name });
  }
}

/** The little-endian bytes of a tensor as written to disk (a view when no conversion is needed). */
export function bytesOfTensor(dtype: SafetensorsDtype, data: TensorData): Uint8Array {
  if (dtype === 'F16' || dtype === 'BF16') {
    const bits = encode16(data as Float32Array, dtype);
    return new Uint8Array(bits.buffer);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
