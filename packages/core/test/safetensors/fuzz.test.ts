// Fuzzing the reader with mutated headers: whatever the bytes, parseSafetensors either returns
// tensors consistent with their shapes or throws SafetensorsError — never another error, never an
// out-of-bounds read (a typed-array RangeError), never a hang.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseSafetensors,
  readSafetensorsFile,
  SafetensorsError,
  type SafetensorsFile,
  serializeSafetensors,
} from '../../src/safetensors/index.js';
import { rawFile } from './helpers.js';

const BASE_TENSORS = serializeSafetensors(
  [
    { name: 'emb', dtype: 'F32', shape: [4, 3], data: new Float32Array(12).map((_, i) => i / 7) },
    { name: 'ids', dtype: 'I64', shape: [2], data: new BigInt64Array([3n, -4n]) },
    { name: 'half', dtype: 'F16', shape: [3], data: new Float32Array([1, 2, 3]) },
    { name: 'bf', dtype: 'BF16', shape: [1, 2], data: new Float32Array([0.5, -1]) },
    { name: 'mask', dtype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) },
    { name: 'i', dtype: 'I32', shape: [], data: new Int32Array([9]) },
    { name: 'b', dtype: 'I8', shape: [2], data: new Int8Array([-1, 1]) },
  ],
  { format: 'pt', extra: 'x' },
);
const BASE_N = Number(new DataView(BASE_TENSORS.buffer).getBigUint64(0, true));
const BASE_HEADER = JSON.parse(new TextDecoder().decode(BASE_TENSORS.subarray(8, 8 + BASE_N))) as Record<
  string,
  unknown
>;
const BASE_DATA = BASE_TENSORS.subarray(8 + BASE_N);

const outcomes = { ok: 0, rejected: 0 };

/** Runs the parser; anything but success or SafetensorsError fails the property. */
function check(bytes: Uint8Array): void {
  let file: SafetensorsFile;
  try {
    file = parseSafetensors(bytes);
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    expect(error.message).toMatch(/^safetensors /);
    outcomes.rejected++;
    return;
  }
  let bytesUsed = 0;
  for (const t of file.tensors.values()) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    expect(t.data.length).toBe(count);
    bytesUsed += count * { F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I8: 1, U8: 1, BOOL: 1 }[t.dtype];
  }
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  expect(bytesUsed).toBe(bytes.length - 8 - n);
  outcomes.ok++;
}

const weird = fc.oneof(
  fc.integer({ min: -5, max: 64 }),
  fc.constantFrom(-1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e300, 0.5, Number.MAX_SAFE_INTEGER),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 4 }),
);

/** A structural edit of the header object: the JSON stays valid, the content may not. */
const jsonEdit = fc.record({
  tensor: fc.constantFrom('emb', 'ids', 'half', 'bf', 'mask', 'i', 'b', '__metadata__', 'new'),
  field: fc.constantFrom(
    'dtype',
    'shape',
    'data_offsets',
    'shape[0]',
    'data_offsets[0]',
    'data_offsets[1]',
    'whole',
    'delete',
  ),
  value: fc.oneof(weird, fc.constantFrom('F32', 'F16', 'BF16', 'I64', 'F64', 'U16', 'bool', '')),
});

function applyEdits(edits: { tensor: string; field: string; value: unknown }[]): Record<string, unknown> {
  const header = structuredClone(BASE_HEADER) as Record<string, Record<string, unknown>>;
  for (const { tensor, field, value } of edits) {
    if (field === 'delete') {
      delete header[tensor];
      continue;
    }
    let entry = header[tensor];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      entry = header[tensor] = { dtype: 'F32', shape: [1], data_offsets: [0, 4] };
    }
    if (field === 'whole') header[tensor] = value as Record<string, unknown>;
    else if (field.endsWith('[0]') || field.endsWith('[1]')) {
      const key = field.slice(0, -3);
      const list = Array.isArray(entry[key]) ? [...(entry[key] as unknown[])] : [];
      list[Number(field.at(-2))] = value;
      entry[key] = list;
    } else entry[field] = value;
  }
  return header;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'albert-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fuzzed safetensors headers give only SafetensorsError', () => {
  it('random byte flips in the length field and header', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(8 + BASE_N - 1), value: fc.integer({ min: 0, max: 255 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        (flips) => {
          const bytes = BASE_TENSORS.slice();
          for (const { at, value } of flips) bytes[at] = value;
          check(bytes);
        },
      ),
      { numRuns: 1500, seed: 1 },
    );
  });

  it('arbitrary header length fields', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.nat(BASE_TENSORS.length + 16), (n, cut) => {
        const bytes = BASE_TENSORS.slice(0, Math.max(cut, 8));
        new DataView(bytes.buffer).setBigUint64(0, n < 2n ** 64n ? n : 0n, true);
        check(bytes);
      }),
      { numRuns: 1000, seed: 2 },
    );
  });

  it('JSON edits: bad dtypes, negative/huge/fractional shapes, overlapping and out-of-range offsets', () => {
    fc.assert(
      fc.property(
        fc.array(jsonEdit, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.integer({ min: -24, max: 24 }),
        (edits, pad, dataDelta) => {
          const header = applyEdits(edits);
          const data =
            dataDelta < 0
              ? BASE_DATA.subarray(0, Math.max(0, BASE_DATA.length + dataDelta))
              : new Uint8Array([...BASE_DATA, ...new Uint8Array(dataDelta)]);
          check(rawFile(header, data, pad));
        },
      ),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('truncation anywhere and garbage text headers', () => {
    fc.assert(
      fc.property(fc.nat(BASE_TENSORS.length), (cut) => check(BASE_TENSORS.slice(0, cut))),
      { numRuns: 500, seed: 4 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.json({ maxDepth: 3 })), (text) =>
        check(rawFile(text, BASE_DATA)),
      ),
      { numRuns: 1000, seed: 5 },
    );
    // 6000 mutated files in all; most are rejected, a few mutations keep a valid file
    expect(outcomes.rejected + outcomes.ok).toBe(6000);
    expect(outcomes.rejected).toBeGreaterThan(4000);
    console.log(`safetensors fuzz: ${outcomes.rejected} rejected with SafetensorsError, ${outcomes.ok} still valid`);
  });

  it('the file reader holds up too (300 mutated files on disk)', async () => {
    const samples = fc.sample(
      fc.tuple(fc.array(jsonEdit, { minLength: 1, maxLength: 3 }), fc.integer({ min: -16, max: 16 })),
      { numRuns: 300, seed: 6 },
    );
    let rejected = 0;
    for (const [i, [edits, delta]] of samples.entries()) {
      const data =
        delta < 0
          ? BASE_DATA.subarray(0, BASE_DATA.length + delta)
          : new Uint8Array([...BASE_DATA, ...new Uint8Array(delta)]);
      const path = join(dir, `f${i}.safetensors`);
      await writeFile(path, rawFile(applyEdits(edits), data));
      try {
        await readSafetensorsFile(path);
      } catch (error) {
        expect(error).toBeInstanceOf(SafetensorsError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(200);
  });
});
