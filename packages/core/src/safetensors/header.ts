// Reading and validating a safetensors header before any tensor data is touched.
//
// Layout (https://github.com/huggingface/safetensors, "Format"): 8 bytes little-endian u64 N,
// N bytes of UTF-8 JSON, then the data section. The checks follow the reference reader
// (safetensors/src/tensor.rs, `read_metadata` + `validate`): N <= 100,000,000 and inside the file;
// the JSON is an object; every tensor has a known dtype, an integer shape and [begin, end) offsets with
// end - begin = product(shape) * dtype size; sorted by offset the ranges start at 0 and follow each other
// with no gap and no overlap; the last one ends exactly at the end of the file.

import { DTYPE_SIZE, isSupportedDtype, UNSUPPORTED_DTYPES } from './dtypes.js';
import { SafetensorsError } from './errors.js';
import type { HeaderEntry, SafetensorsHeader } from './types.js';

/** The reference implementation's header size limit (MAX_HEADER_SIZE = 100_000_000 bytes). */
export const MAX_HEADER_LENGTH = 100_000_000;

/**
 * Reads the u64 header length from the first 8 bytes and checks it against the limit and the file size.
 * `fileLength` is the length of the whole file in bytes.
 */
export function readHeaderLength(first8: Uint8Array, fileLength: number): number {
  if (fileLength < 8 || first8.length < 8) {
    throw new SafetensorsError(
      'header length',
      `the file is ${fileLength} bytes; a safetensors file starts with an 8-byte header length`,
    );
  }
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const n = high * 2 ** 32 + low; // exact up to 2^53; anything with high != 0 is rejected below anyway
  if (high !== 0 || n > MAX_HEADER_LENGTH) {
    throw new SafetensorsError(
      'header length',
      `the header claims ${high !== 0 ? `${n} (>= 2^32)` : n} bytes, over the ${MAX_HEADER_LENGTH}-byte limit; ` +
        'this is not a safetensors file or it is corrupted',
    );
  }
  if (n > fileLength - 8) {
    throw new SafetensorsError(
      'header length',
      `the header claims ${n} bytes but only ${fileLength - 8} follow the length field; the file is truncated or not safetensors`,
    );
  }
  if (n < 2) {
    throw new SafetensorsError('header length', `the header is ${n} bytes; it must hold at least a JSON object "{}"`);
  }
  return n;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkCount(value: unknown, what: string, tensor: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new SafetensorsError(
      what,
      `expected a non-negative integer (at most 2^53 - 1), got ${JSON.stringify(value) ?? String(value)}`,
      { tensor },
    );
  }
  return value;
}

function parseEntry(name: string, raw: unknown): HeaderEntry {
  if (!isPlainObject(raw)) {
    throw new SafetensorsError('tensor entry', 'expected an object {dtype, shape, data_offsets}', { tensor: name });
  }
  const dtype = raw.dtype;
  if (!isSupportedDtype(dtype)) {
    const known = typeof dtype === 'string' && UNSUPPORTED_DTYPES.has(dtype);
    throw new SafetensorsError(
      'dtype',
      known
        ? `${dtype} is a safetensors dtype albert-ts does not load; convert the tensor to F32, F16, BF16, I64, I32, I8, U8 or BOOL`
        : `${JSON.stringify(dtype) ?? String(dtype)} is not a safetensors dtype (expected F32, F16, BF16, I64, I32, I8, U8 or BOOL)`,
      { tensor: name },
    );
  }
  const rawShape = raw.shape;
  if (!Array.isArray(rawShape)) {
    throw new SafetensorsError('shape', `expected an array of integers, got ${JSON.stringify(rawShape) ?? 'nothing'}`, {
      tensor: name,
    });
  }
  const shape: number[] = [];
  let elements = 1;
  for (const d of rawShape) {
    const dim = checkCount(d, 'shape', name);
    shape.push(dim);
    elements *= dim;
    if (!Number.isSafeInteger(elements)) {
      throw new SafetensorsError('shape', `the shape [${rawShape.join(', ')}] has more than 2^53 elements`, {
        tensor: name,
      });
    }
  }
  const bytes = elements * DTYPE_SIZE[dtype];
  if (!Number.isSafeInteger(bytes)) {
    throw new SafetensorsError('shape', `the shape [${shape.join(', ')}] needs more than 2^53 bytes`, { tensor: name });
  }
  const offsets = raw.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    throw new SafetensorsError('data_offsets', `expected [begin, end], got ${JSON.stringify(offsets) ?? 'nothing'}`, {
      tensor: name,
    });
  }
  const begin = checkCount(offsets[0], 'data_offsets', name);
  const end = checkCount(offsets[1], 'data_offsets', name);
  if (end < begin) {
    throw new SafetensorsError('data_offsets', `end ${end} is before begin ${begin}`, { tensor: name });
  }
  if (end - begin !== bytes) {
    throw new SafetensorsError(
      'data_offsets',
      `[${begin}, ${end}] is ${end - begin} bytes but ${dtype} [${shape.join(', ')}] needs ${bytes}`,
      { tensor: name },
    );
  }
  return { name, dtype, shape, begin, end };
}

function parseMetadata(raw: unknown): Record<string, string> {
  if (!isPlainObject(raw)) {
    throw new SafetensorsError('__metadata__', `expected an object of strings, got ${JSON.stringify(raw)}`);
  }
  const metadata: Record<string, string> = {};
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (typeof value !== 'string') {
      throw new SafetensorsError(
        '__metadata__',
        `the value of ${JSON.stringify(key)} is ${JSON.stringify(value)}; metadata values must be strings`,
      );
    }
    Object.defineProperty(metadata, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return metadata;
}

/**
 * The first name that appears twice among the top-level keys of `text` (already known to be valid JSON).
 * The format forbids duplicate keys, and JSON.parse would silently keep the last one.
 */
function duplicateTopLevelKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: find its closing quote, skipping escapes
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      if (depth === 1) {
        let k = j + 1;
        while (k < text.length && /\s/.test(text[k]!)) k++;
        if (text[k] === ':') {
          const key = JSON.parse(text.slice(i, j + 1)) as string;
          if (seen.has(key)) return key;
          seen.add(key);
        }
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

/**
 * Parses and validates the JSON header bytes. `dataLength` is the size of the data section
 * (file length - 8 - header length): the tensors must cover it exactly.
 */
export function parseHeaderJson(headerBytes: Uint8Array, dataLength: number): Omit<SafetensorsHeader, 'dataStart'> {
  let text: string;
  try {
    text = utf8.decode(headerBytes);
  } catch (cause) {
    throw new SafetensorsError('header encoding', 'the header is not valid UTF-8', { cause });
  }
  if (text.charCodeAt(0) !== 0x7b) {
    throw new SafetensorsError(
      'header JSON',
      `the header must start with "{", it starts with ${JSON.stringify(text.slice(0, 16))}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SafetensorsError('header JSON', `the header is not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (!isPlainObject(json)) {
    throw new SafetensorsError('header JSON', 'the header must be a JSON object mapping tensor names to entries');
  }
  const duplicate = duplicateTopLevelKey(text);
  if (duplicate !== undefined) {
    throw new SafetensorsError('header JSON', 'the name appears twice in the header; duplicate keys are not allowed', {
      tensor: duplicate,
    });
  }

  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const name of Object.keys(json)) {
    if (name === '__metadata__') metadata = parseMetadata(json[name]);
    else entries.push(parseEntry(name, json[name]));
  }

  // Sorted by offsets, the ranges must tile [0, dataLength): no overlap, no hole, nothing left over.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: string | undefined;
  for (const entry of entries) {
    if (entry.begin < cursor) {
      throw new SafetensorsError(
        'data_offsets',
        `[${entry.begin}, ${entry.end}] overlaps tensor ${JSON.stringify(previous)}, which ends at ${cursor}`,
        { tensor: entry.name },
      );
    }
    if (entry.begin > cursor) {
      throw new SafetensorsError(
        'data_offsets',
        `[${entry.begin}, ${entry.end}] leaves bytes [${cursor}, ${entry.begin}) of the data section unused; ` +
          'the tensors must cover the data section without holes',
        { tensor: entry.name },
      );
    }
    if (entry.end > dataLength) {
      throw new SafetensorsError(
        'data_offsets',
        `[${entry.begin}, ${entry.end}] runs past the end of the data section (${dataLength} bytes); the file is truncated`,
        { tensor: entry.name },
      );
    }
    cursor = entry.end;
    previous = entry.name;
  }
  if (cursor !== dataLength) {
    throw new SafetensorsError(
      'data_offsets',
      `the tensors cover ${cursor} bytes but the data section holds ${dataLength}; the file has trailing bytes or a missing tensor`,
    );
  }
  return { headerLength: headerBytes.length, metadata, entries };
}

/** Validates the header of a complete file held in memory. */
export function parseHeader(bytes: Uint8Array): SafetensorsHeader {
  const n = readHeaderLength(bytes.subarray(0, 8), bytes.length);
  const dataStart = 8 + n;
  const header = parseHeaderJson(bytes.subarray(8, dataStart), bytes.length - dataStart);
  return { ...header, dataStart };
}
