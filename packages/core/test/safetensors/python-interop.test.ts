// Python reads what we write: a small numpy safetensors reader (written here, following the
// reference checks) parses our files and reports every value bit-exactly. Python's own
// `safetensors` package is not installed on this machine (no PyPI access), so numpy is the judge.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith, PYTHON, pythonModules } from '../../../../test-utils/requirements.js';
import { parseSafetensors, type TensorEntry, writeSafetensorsFile } from '../../src/safetensors/index.js';

const numpy = pythonModules(['numpy'], 'apt-get install python3-numpy');

// Reads a safetensors file with numpy, checking it like the reference reader, and prints
// {"metadata": ..., "order": [...], "tensors": {name: {"dtype", "shape", "bits": [...]}}} where bits are
// the raw little-endian integers of each element (exact comparison, NaN-safe) and "values" the decoded numbers.
const READER = String.raw`
import json, struct, sys
import numpy as np
path = sys.argv[1]
raw = open(path, 'rb').read()
(n,) = struct.unpack('<Q', raw[:8])
assert n <= 100_000_000 and 8 + n <= len(raw), 'header length'
text = raw[8:8 + n].decode('utf-8')
assert text.startswith('{') and n % 8 == 0, 'header start/padding'
header = json.loads(text)
meta = header.pop('__metadata__', None)
sizes = {'F32': 4, 'F16': 2, 'BF16': 2, 'I64': 8, 'I32': 4, 'I8': 1, 'U8': 1, 'BOOL': 1}
bits_t = {'F32': '<u4', 'F16': '<u2', 'BF16': '<u2', 'I64': '<i8', 'I32': '<i4', 'I8': 'i1', 'U8': 'u1', 'BOOL': 'u1'}
data = raw[8 + n:]
entries = sorted(header.items(), key=lambda kv: kv[1]['data_offsets'])
cursor = 0
out = {}
for name, info in entries:
    b, e = info['data_offsets']
    assert b == cursor, 'contiguous ' + name
    count = int(np.prod(info['shape'], dtype=np.int64))
    assert e - b == count * sizes[info['dtype']], 'size ' + name
    assert (8 + n + b) % sizes[info['dtype']] == 0, 'aligned ' + name
    cursor = e
    chunk = data[b:e]
    bits = np.frombuffer(chunk, dtype=bits_t[info['dtype']])
    if info['dtype'] == 'F32':
        values = np.frombuffer(chunk, dtype='<f4').reshape(info['shape'])
    elif info['dtype'] == 'F16':
        values = np.frombuffer(chunk, dtype='<f2').astype(np.float32).reshape(info['shape'])
    elif info['dtype'] == 'BF16':
        values = (bits.astype(np.uint32) << 16).view(np.float32).reshape(info['shape'])
    elif info['dtype'] == 'BOOL':
        values = np.frombuffer(chunk, dtype=np.bool_).reshape(info['shape'])
    else:
        values = bits.reshape(info['shape'])
    out[name] = {'dtype': info['dtype'], 'shape': list(values.shape),
                 'bits': [str(int(x)) for x in bits],
                 'values': [None if (isinstance(x, float) and x != x) else x for x in values.ravel().tolist()]}
assert cursor == len(data), 'covers data'
print(json.dumps({'metadata': meta, 'order': [k for k, _ in entries], 'tensors': out}))
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'albert-py-'));
  await writeFile(join(dir, 'reader.py'), READER);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function pythonRead(path: string) {
  return JSON.parse(execFileSync(PYTHON, [join(dir, 'reader.py'), path], { encoding: 'utf8' })) as {
    metadata: Record<string, string> | null;
    order: string[];
    tensors: Record<string, { dtype: string; shape: number[]; bits: string[]; values: (number | boolean | null)[] }>;
  };
}

function rawBits(t: TensorEntry): string[] {
  const { dtype, data } = t;
  if (dtype === 'F32') return Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length), String);
  return Array.from(data as ArrayLike<number | bigint>, (x) => String(x));
}

describeWith(numpy, 'python + numpy reads our files', () => {
  it('every dtype, shape and value, bit for bit', async () => {
    const tensors: TensorEntry[] = [
      { name: 'weights', dtype: 'F32', shape: [2, 3], data: new Float32Array([0.1, -2.5, 3e38, 1e-40, -0, 7]) },
      { name: 'half', dtype: 'F16', shape: [4], data: new Float32Array([1, -0.5, 65504, 2 ** -24]) },
      { name: 'brain', dtype: 'BF16', shape: [2, 1], data: new Float32Array([1.5, -3]) },
      { name: 'ids', dtype: 'I64', shape: [3], data: new BigInt64Array([0n, -1n, 9007199254740993n]) },
      { name: 'mask', dtype: 'I32', shape: [1, 2], data: new Int32Array([-2147483648, 2147483647]) },
      { name: 'signed', dtype: 'I8', shape: [2], data: new Int8Array([-128, 127]) },
      { name: 'bytes', dtype: 'U8', shape: [3], data: new Uint8Array([0, 128, 255]) },
      { name: 'flags', dtype: 'BOOL', shape: [2], data: new Uint8Array([1, 0]) },
      { name: 'scalar', dtype: 'F32', shape: [], data: new Float32Array([42]) },
      { name: 'empty', dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
    ];
    const path = join(dir, 'all.safetensors');
    await writeSafetensorsFile(path, tensors, { format: 'pt', note: 'written by albert-ts' });
    const py = pythonRead(path);
    expect(py.metadata).toEqual({ format: 'pt', note: 'written by albert-ts' });
    // reference order: dtype alignment descending, then name
    expect(py.order).toEqual([
      'ids',
      'empty',
      'scalar',
      'weights',
      'mask',
      'brain',
      'half',
      'signed',
      'bytes',
      'flags',
    ]);
    for (const t of tensors) {
      const p = py.tensors[t.name]!;
      expect(p.dtype).toBe(t.dtype);
      expect(p.shape).toEqual(t.shape);
      if (t.dtype !== 'F16' && t.dtype !== 'BF16') expect(p.bits).toEqual(rawBits(t));
    }
    expect(py.tensors.half!.values).toEqual([1, -0.5, 65504, 2 ** -24]);
    expect(py.tensors.half!.bits).toEqual(['15360', '47104', '31743', '1']);
    expect(py.tensors.brain!.values).toEqual([1.5, -3]);
    expect(py.tensors.flags!.values).toEqual([true, false]);
    expect(py.tensors.ids!.bits).toEqual(['0', '-1', '9007199254740993']);
    expect(py.tensors.weights!.values[0]).toBe(Math.fround(0.1));
  });

  it('the Hugging Face fixture re-written by us reads the same in Python', async () => {
    const original = new Uint8Array(
      await readFile(new URL('../fixtures/io/tiny-qa.model.safetensors', import.meta.url)),
    );
    const file = parseSafetensors(original);
    const path = join(dir, 'tiny-qa.safetensors');
    await writeSafetensorsFile(path, file.tensors, file.metadata);
    const py = pythonRead(path);
    expect(Object.keys(py.tensors).length).toBe(25);
    for (const [name, t] of file.tensors) {
      expect(py.tensors[name]!.shape).toEqual(t.shape);
      expect(py.tensors[name]!.bits).toEqual(rawBits(t));
    }
  });
});
