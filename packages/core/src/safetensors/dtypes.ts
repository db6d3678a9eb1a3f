import type { SafetensorsDtype } from './types.js';

/** Bytes per element on disk. */
export const DTYPE_SIZE: Record<SafetensorsDtype, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F16: 2,
  BF16: 2,
  I32: 4,
  F32: 4,
  I64: 8,
};

/**
 * Position in the safetensors `Dtype` enum, which is declared in increasing alignment order
 * (BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64).
 * The reference writer sorts tensors by this rank, descending, then by name.
 */
export const DTYPE_RANK: Record<SafetensorsDtype, number> = {
  BOOL: 0,
  U8: 1,
  I8: 2,
  F16: 7,
  BF16: 8,
  I32: 9,
  F32: 11,
  I64: 13,
};

/** Valid safetensors dtypes that albert-ts does not load (named in the error so the user knows to convert). */
export const UNSUPPORTED_DTYPES = new Set([
  'F64',
  'I16',
  'U16',
  'U32',
  'U64',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'C64',
]);

export function isSupportedDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(DTYPE_SIZE, value);
}
