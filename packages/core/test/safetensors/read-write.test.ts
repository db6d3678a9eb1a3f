import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlbertError } from '@albert-ts/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  floatToBfloat16,
  floatToHalf,
  halfToFloat,
  parseSafetensors,
  readSafetensorsFile,
  SafetensorsError,
  serializeSafetensors,
  type TensorEntry,
  writeSafetensorsFile,
} from '../../src/safetensors/index.js';
import { f32Bytes, rawFile } from './helpers.js';

const FIXTURE = new URL('../fixtures/io/tiny-qa.model.safetensors', import.meta.url);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'albert-st-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reading the Hugging Face fixture (tiny-qa model.safetensors)', () => {
  it('parses every tensor with its shape and values, F32 without copying', async () => {
    const bytes = new Uint8Array(await readFile(FIXTURE));
    const file = parseSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors.size).toBe(25);
    const ln = file.tensors.get('albert.embeddings.LayerNorm.bias')!;
    expect(ln.dtype).toBe('F32');
    expect(ln.shape).toEqual([16]);
    expect(ln.data[0]).toBeCloseTo(0.18659591674804688, 12);
    expect(ln.data[15]).toBeCloseTo(0.006163692567497492, 12);
    expect(file.tensors.get('albert.embeddings.word_embeddings.weight')!.shape).toEqual([1000, 16]);
    expect(file.tensors.get('qa_outputs.weight')!.shape).toEqual([2, 32]);
    // zero copy: the F32 array is a view into the input buffer
    expect(ln.data.buffer).toBe(bytes.buffer);
    const total = [...file.tensors.values()].reduce((n, t) => n + t.data.length, 0);
    expect(total).toBe(24487); // the README's parameter count for tiny-qa
  });

  it('re-serializes byte-identically, in memory and through an atomic file write', async () => {
    const bytes = new Uint8Array(await readFile(FIXTURE));
    const file = parseSafetensors(bytes);
    expect(Buffer.from(serializeSafetensors(file.tensors, file.metadata)).equals(Buffer.from(bytes))).toBe(true);
    // order of the input does not matter: the writer sorts like the reference
    const shuffled = [...file.tensors.values()].reverse();
    expect(Buffer.from(serializeSafetensors(shuffled)).equals(Buffer.from(bytes))).toBe(true);
    const out = join(dir, 'copy.safetensors');
    await writeSafetensorsFile(out, file.tensors, file.metadata);
    expect((await readFile(out)).equals(Buffer.from(bytes))).toBe(true);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('reads the file from disk tensor by tensor with the same values', async () => {
    const fromDisk = await readSafetensorsFile(FIXTURE.pathname);
    const inMemory = parseSafetensors(new Uint8Array(await readFile(FIXTURE)));
    expect([...fromDisk.tensors.keys()]).toEqual([...inMemory.tensors.keys()]);
    for (const [name, t] of inMemory.tensors) {
      const d = fromDisk.tensors.get(name)!;
      expect(d.shape).toEqual(t.shape);
      expect(Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength)).toEqual(
        Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      );
    }
  });
});

describe('a file written in name order (tiny-qa io.safetensors: I32 + F32, a scalar)', () => {
  it('reads it, and re-writes it in the current reference order with the same tensors', async () => {
    const bytes = new Uint8Array(await readFile(new URL('../fixtures/io/tiny-qa.io.safetensors', import.meta.url)));
    const file = parseSafetensors(bytes);
    const ids = file.tensors.get('input_ids')!;
    expect(ids.dtype).toBe('I32');
    expect(Array.from(ids.data as Int32Array).slice(0, 6)).toEqual([2, 902, 824, 56, 503, 186]);
    expect(Array.from(file.tensors.get('start_positions')!.data as Int32Array)).toEqual([15, 11]);
    const loss = file.tensors.get('loss')!;
    expect(loss.shape).toEqual([]);
    expect(loss.data[0]).toBe(Math.fround(3.4704341888427734));
    // the file lists tensors by name only (older safetensors did); the current writer puts F32 before I32
    expect([...file.tensors.keys()].slice(0, 2)).toEqual(['attention_mask', 'attentions.0']);
    const rewritten = serializeSafetensors(file.tensors, file.metadata);
    const again = parseSafetensors(rewritten);
    const order = [...again.tensors.values()].map((t) => t.dtype);
    expect(order.indexOf('I32')).toBe(order.lastIndexOf('F32') + 1);
    for (const [name, t] of file.tensors) {
      const u = again.tensors.get(name)!;
      expect(u.shape).toEqual(t.shape);
      expect(Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength)).toEqual(
        Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      );
    }
  });
});

describe('writer layout', () => {
  it('matches the reference implementation byte for byte (its test vectors)', () => {
    // safetensors/src/tensor.rs test_serialization: "attn.0" F32 [1,2,3] = 0..5, no metadata
    const out = serializeSafetensors(
      [{ name: 'attn.0', dtype: 'F32', shape: [1, 2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) }],
      null,
    );
    expect(Array.from(out)).toEqual([
      64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34,
      70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95,
      111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0,
      64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ]);
    // test_empty: no tensors, metadata {"framework": "pt"}
    expect(Array.from(serializeSafetensors([], { framework: 'pt' }))).toEqual([
      40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58, 123, 34, 102, 114,
      97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112, 116, 34, 125, 125, 32, 32, 32, 32, 32,
    ]);
    expect(Array.from(serializeSafetensors([], null))).toEqual([
      8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32,
    ]);
  });

  it('sorts by dtype alignment (descending) then name, pads the header to 8 and aligns every tensor', () => {
    const t = (name: string, dtype: TensorEntry['dtype'], data: TensorEntry['data']): TensorEntry => ({
      name,
      dtype,
      shape: [data.length],
      data,
    });
    const out = serializeSafetensors([
      t('b', 'U8', new Uint8Array([1, 2, 3])),
      t('a', 'BOOL', new Uint8Array([1])),
      t('z', 'I64', new BigInt64Array([-5n])),
      t('c', 'F16', new Float32Array([1.5])),
      t('y', 'F32', new Float32Array([2])),
      t('x', 'F32', new Float32Array([3])),
      t('d', 'I32', new Int32Array([-7])),
      t('e', 'BF16', new Float32Array([-2])),
      t('f', 'I8', new Int8Array([-1, 2])),
    ]);
    const n = Number(new DataView(out.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(out.subarray(8, 8 + n)));
    expect(Object.keys(header)).toEqual(['__metadata__', 'z', 'x', 'y', 'd', 'e', 'c', 'f', 'b', 'a']);
    expect(header.z.data_offsets).toEqual([0, 8]);
    expect(header.x.data_offsets).toEqual([8, 12]);
    expect(header.b.data_offsets).toEqual([26, 29]);
    expect(header.a.data_offsets).toEqual([29, 30]);
    const back = parseSafetensors(out);
    expect(back.tensors.get('z')!.data).toEqual(new BigInt64Array([-5n]));
    expect(Array.from(back.tensors.get('c')!.data as ArrayLike<number>)).toEqual([1.5]);
    expect(Array.from(back.tensors.get('e')!.data as ArrayLike<number>)).toEqual([-2]);
    expect(Array.from(back.tensors.get('f')!.data as ArrayLike<number>)).toEqual([-1, 2]);
    expect(Array.from(back.tensors.get('d')!.data as ArrayLike<number>)).toEqual([-7]);
    expect(Array.from(back.tensors.get('b')!.data as ArrayLike<number>)).toEqual([1, 2, 3]);
    // names sort by UTF-8 bytes like Rust's str ordering ("Z" < "a" < "é" < "😀")
    const names = ['😀', 'é', 'a', 'Z'].map((name) => t(name, 'U8', new Uint8Array([0])));
    const h2 = serializeSafetensors(names, null);
    const n2 = Number(new DataView(h2.buffer).getBigUint64(0, true));
    expect(Object.keys(JSON.parse(new TextDecoder().decode(h2.subarray(8, 8 + n2))))).toEqual(['Z', 'a', 'é', '😀']);
  });

  it('rejects bad tensors to write with SafetensorsError', () => {
    const bad = (entry: Partial<TensorEntry>, check: RegExp) =>
      expect(() =>
        serializeSafetensors([{ name: 'w', dtype: 'F32', shape: [2], data: new Float32Array(2), ...entry }]),
      ).toThrow(check);
    bad({ shape: [3] }, /shape \(tensor "w"\): shape \[3\] has 3 elements but the data has 2/);
    bad({ dtype: 'I32' }, /tensor data \(tensor "w"\): I32 data must be a Int32Array, got Float32Array/);
    bad({ dtype: 'F64' as never }, /dtype/);
    bad({ shape: [-2] }, /shape/);
    bad({ name: '__metadata__' }, /reserved/);
    expect(() =>
      serializeSafetensors([
        { name: 'w', dtype: 'U8', shape: [1], data: new Uint8Array(1) },
        { name: 'w', dtype: 'U8', shape: [1], data: new Uint8Array(1) },
      ]),
    ).toThrow(/appears twice/);
    expect(() => serializeSafetensors([], { format: 1 as unknown as string })).toThrow(SafetensorsError);
  });
});

describe('16-bit floats', () => {
  it('converts half and bfloat16 bit patterns exactly, rounding to nearest even', () => {
    const cases: [number, number][] = [
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [2 ** -24, 0x0001],
      [2 ** -14, 0x0400],
      [0.1, 0x2e66],
      [Number.POSITIVE_INFINITY, 0x7c00],
      [-0, 0x8000],
    ];
    for (const [value, bits] of cases) {
      expect(floatToHalf(value)).toBe(bits);
      if (value !== 0.1) expect(Object.is(halfToFloat(bits), value)).toBe(true);
    }
    expect(halfToFloat(0x2e66)).toBe(Math.fround(0.0999755859375));
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie -> even
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie -> even (up)
    expect(floatToHalf(65520)).toBe(0x7c00); // overflows to inf
    expect(floatToHalf(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal -> 0
    expect(Number.isNaN(halfToFloat(floatToHalf(Number.NaN)))).toBe(true);
    expect(floatToBfloat16(1)).toBe(0x3f80);
    expect(floatToBfloat16(Math.fround(1 + 2 ** -8))).toBe(0x3f80); // tie -> even
    expect(floatToBfloat16(Math.fround(1 + 3 * 2 ** -8))).toBe(0x3f82);
    expect(floatToBfloat16(Number.NaN) & 0x7fc0).toBe(0x7fc0);
  });

  it('round-trips F16 and BF16 files bit-exactly', () => {
    const bits = new Uint16Array(65536).map((_, i) => i);
    const data = new Uint8Array(bits.buffer);
    for (const dtype of ['F16', 'BF16'] as const) {
      const bytes = rawFile({ t: { dtype, shape: [65536], data_offsets: [0, data.length] } }, data);
      const file = parseSafetensors(bytes);
      expect(file.tensors.get('t')!.data).toBeInstanceOf(Float32Array);
      const again = serializeSafetensors(file.tensors, null);
      const n = Number(new DataView(again.buffer).getBigUint64(0, true));
      const outBits = new Uint16Array(again.slice(8 + n).buffer);
      // every non-NaN pattern comes back exactly; NaNs stay NaN
      let mismatches = 0;
      for (let i = 0; i < 65536; i++) {
        const nan =
          dtype === 'F16' ? (i & 0x7c00) === 0x7c00 && (i & 0x3ff) !== 0 : (i & 0x7f80) === 0x7f80 && (i & 0x7f) !== 0;
        if (nan) {
          if (!Number.isNaN(file.tensors.get('t')!.data[i] as number)) mismatches++;
        } else if (outBits[i] !== i) mismatches++;
      }
      expect(mismatches).toBe(0);
    }
  });
});

describe('inputs', () => {
  it('accepts an ArrayBuffer and an unaligned Uint8Array (copying only then)', () => {
    const bytes = serializeSafetensors([
      { name: 'w', dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
    ]);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const view = shifted.subarray(1);
    const a = parseSafetensors(view).tensors.get('w')!;
    expect(Array.from(a.data as ArrayLike<number>)).toEqual([1, 2, 3, 4]);
    expect(a.data.buffer).not.toBe(shifted.buffer);
    const b = parseSafetensors(bytes.buffer as ArrayBuffer).tensors.get('w')!;
    expect(Array.from(b.data as ArrayLike<number>)).toEqual([1, 2, 3, 4]);
    expect(() => parseSafetensors('x' as unknown as Uint8Array)).toThrow(SafetensorsError);
  });

  it('accepts empty and scalar tensors, as the format allows', () => {
    const bytes = rawFile(
      {
        empty: { dtype: 'F32', shape: [0, 3], data_offsets: [0, 0] },
        scalar: { dtype: 'I32', shape: [], data_offsets: [0, 4] },
      },
      new Uint8Array([42, 0, 0, 0]),
    );
    const file = parseSafetensors(bytes);
    expect(file.tensors.get('empty')!.data.length).toBe(0);
    expect(Array.from(file.tensors.get('scalar')!.data as ArrayLike<number>)).toEqual([42]);
    expect(file.metadata).toEqual({});
  });
});

describe('malformed files', () => {
  const ok = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const data = f32Bytes([1, 2]);
  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', new Uint8Array(5), /header length: the file is 5 bytes/],
    [
      'huge length',
      (() => {
        const b = rawFile(ok, data);
        b[6] = 1;
        return b;
      })(),
      /header length: .*limit/,
    ],
    [
      'length past end',
      (() => {
        const b = rawFile(ok, data);
        new DataView(b.buffer).setUint32(0, b.length, true);
        return b;
      })(),
      /header length: the header claims \d+ bytes but only \d+ follow/,
    ],
    [
      'not utf-8',
      (() => {
        const b = rawFile(ok, data);
        b[12] = 0xff;
        return b;
      })(),
      /header encoding/,
    ],
    ['not json', rawFile('{"w": ', data), /header JSON: the header is not valid JSON/],
    ['array', rawFile('[1,2]', data), /header JSON: the header must start with "\{"/],
    [
      'bad dtype',
      rawFile({ w: { ...ok.w, dtype: 'F33' } }, data),
      /dtype \(tensor "w"\): "F33" is not a safetensors dtype/,
    ],
    [
      'unsupported dtype',
      rawFile({ w: { ...ok.w, dtype: 'F64', data_offsets: [0, 16] } }, new Uint8Array(16)),
      /dtype \(tensor "w"\): F64 is a safetensors dtype albert-ts does not load/,
    ],
    [
      'negative shape',
      rawFile({ w: { ...ok.w, shape: [-2] } }, data),
      /shape \(tensor "w"\): expected a non-negative integer/,
    ],
    ['fractional shape', rawFile({ w: { ...ok.w, shape: [1.5] } }, data), /shape \(tensor "w"\)/],
    [
      'huge shape',
      rawFile({ w: { ...ok.w, shape: [2 ** 40, 2 ** 40] } }, data),
      /shape \(tensor "w"\): the shape .* more than 2\^53 elements/,
    ],
    ['shape not array', rawFile({ w: { ...ok.w, shape: 2 } }, data), /shape \(tensor "w"\): expected an array/],
    [
      'size mismatch',
      rawFile({ w: { ...ok.w, shape: [3] } }, data),
      /data_offsets \(tensor "w"\): \[0, 8\] is 8 bytes but F32 \[3\] needs 12/,
    ],
    [
      'reversed offsets',
      rawFile({ w: { ...ok.w, data_offsets: [8, 0] } }, data),
      /data_offsets \(tensor "w"\): end 0 is before begin 8/,
    ],
    [
      'three offsets',
      rawFile({ w: { ...ok.w, data_offsets: [0, 4, 8] } }, data),
      /data_offsets \(tensor "w"\): expected \[begin, end\]/,
    ],
    [
      'out of range',
      rawFile({ w: { ...ok.w, data_offsets: [0, 8] } }, data.subarray(0, 4)),
      /data_offsets \(tensor "w"\): \[0, 8\] runs past the end of the data section \(4 bytes\)/,
    ],
    [
      'overlap',
      rawFile(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        },
        data,
      ),
      /data_offsets \(tensor "b"\): \[4, 8\] overlaps tensor "a", which ends at 8/,
    ],
    [
      'hole',
      rawFile({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, data),
      /data_offsets \(tensor "w"\): \[4, 8\] leaves bytes \[0, 4\) of the data section unused/,
    ],
    [
      'trailing bytes',
      rawFile(ok, f32Bytes([1, 2, 3])),
      /data_offsets: the tensors cover 8 bytes but the data section holds 12/,
    ],
    ['metadata not strings', rawFile({ __metadata__: { a: 1 }, ...ok }, data), /__metadata__: the value of "a" is 1/],
    [
      'duplicate names',
      rawFile(
        '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}, "w" :{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
        data,
      ),
      /header JSON \(tensor "w"\): the name appears twice/,
    ],
    ['entry not object', rawFile({ w: 3 }, data), /tensor entry \(tensor "w"\)/],
  ];
  for (const [label, bytes, message] of cases) {
    it(`rejects ${label}`, async () => {
      let error: unknown;
      try {
        parseSafetensors(bytes);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SafetensorsError);
      expect(error).toBeInstanceOf(AlbertError);
      expect((error as Error).message).toMatch(message);
      // the file reader fails the same way
      const path = join(dir, `bad-${label.replace(/\W/g, '_')}.safetensors`);
      await writeFile(path, bytes);
      await expect(readSafetensorsFile(path)).rejects.toThrow(message);
    });
  }

  it('reports a missing file and a folder', async () => {
    await expect(readSafetensorsFile(join(dir, 'nope.safetensors'))).rejects.toThrow(/safetensors open: cannot open/);
    await expect(readSafetensorsFile(dir)).rejects.toThrow(/safetensors (read|open): cannot (read|open) .*EISDIR/);
  });
});

describe('atomic writes', () => {
  it('replaces an existing file and leaves no temporary file when the folder is missing', async () => {
    const path = join(dir, 'atomic.safetensors');
    await writeFile(path, 'old');
    const tensors: TensorEntry[] = [{ name: 'x', dtype: 'I32', shape: [2], data: new Int32Array([7, -8]) }];
    await writeSafetensorsFile(path, tensors);
    expect(Array.from((await readSafetensorsFile(path)).tensors.get('x')!.data as ArrayLike<number>)).toEqual([7, -8]);
    await expect(writeSafetensorsFile(join(dir, 'missing', 'x.safetensors'), tensors)).rejects.toThrow(
      /safetensors write: cannot create .*ENOENT/,
    );
    await expect(writeSafetensorsFile(join(dir, 'bad.safetensors'), [{ ...tensors[0]!, shape: [3] }])).rejects.toThrow(
      SafetensorsError,
    );
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-') || f === 'bad.safetensors')).toEqual([]);
  });
});
