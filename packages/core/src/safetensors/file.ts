// Node file I/O. `node:fs` is imported lazily so the rest of the module also runs in browsers.

import { DTYPE_SIZE } from './dtypes.js';
import { SafetensorsError } from './errors.js';
import { decode16 } from './float16.js';
import { parseHeaderJson, readHeaderLength } from './header.js';
import { nodeFs } from './node.js';
import { bytesOfTensor, planSafetensors, type TensorsInput } from './serialize.js';
import type { SafetensorsFile, TensorData, TensorEntry } from './types.js';

type FileHandle = import('node:fs/promises').FileHandle;

/** Reads exactly `into.length` bytes at `position`, or fails saying the file is shorter than its header says. */
async function readExactly(fh: FileHandle, into: Uint8Array, position: number, path: string): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const chunk = Math.min(into.length - done, 1 << 30);
    const { bytesRead } = await fh.read(into, done, chunk, position + done);
    if (bytesRead === 0) {
      throw new SafetensorsError(
        'read',
        `${path} ended after ${position + done} bytes while reading; was it truncated?`,
      );
    }
    done += bytesRead;
  }
}

function allocate(dtype: TensorEntry['dtype'], count: number): TensorData {
  switch (dtype) {
    case 'F32':
      return new Float32Array(count);
    case 'I32':
      return new Int32Array(count);
    case 'I64':
      return new BigInt64Array(count);
    case 'I8':
      return new Int8Array(count);
    default:
      return new Uint8Array(count); // U8, BOOL (F16/BF16 are read as bits and decoded)
  }
}

/**
 * Reads a safetensors file from disk (Node). The header is read and validated first through a file
 * handle; then each tensor is read straight into its own typed array, so the weights exist once in
 * memory (F16/BF16 pass through one tensor-sized buffer of bits while they are decoded).
 */
export async function readSafetensorsFile(path: string): Promise<SafetensorsFile> {
  const { open } = await nodeFs();
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (cause) {
    throw new SafetensorsError('open', `cannot open ${path} (${(cause as Error).message})`, { cause });
  }
  try {
    const { size } = await fh.stat();
    const first8 = new Uint8Array(8);
    if (size >= 8) await readExactly(fh, first8, 0, path);
    const n = readHeaderLength(first8, size);
    const headerBytes = new Uint8Array(n);
    await readExactly(fh, headerBytes, 8, path);
    const dataStart = 8 + n;
    const header = parseHeaderJson(headerBytes, size - dataStart);
    const tensors = new Map<string, TensorEntry>();
    for (const { name, dtype, shape, begin, end } of header.entries) {
      const count = (end - begin) / DTYPE_SIZE[dtype];
      let data: TensorData;
      if (dtype === 'F16' || dtype === 'BF16') {
        const bits = new Uint16Array(count);
        await readExactly(fh, new Uint8Array(bits.buffer), dataStart + begin, path);
        data = decode16(bits, dtype);
      } else {
        data = allocate(dtype, count);
        await readExactly(fh, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dataStart + begin, path);
      }
      tensors.set(name, { name, dtype, shape, data });
    }
    return { metadata: header.metadata, tensors };
  } catch (cause) {
    if (cause instanceof SafetensorsError) throw cause;
    throw new SafetensorsError('read', `cannot read ${path} (${(cause as Error).message})`, { cause });
  } finally {
    await fh.close();
  }
}

/**
 * Writes tensors to `path` atomically: into a temporary file next to it, flushed, then renamed over
 * `path`, so a reader never sees a half-written file. Tensors are streamed one by one (no second copy
 * of the whole file in memory). `metadata` defaults to {format: "pt"}; null writes none.
 */
export async function writeSafetensorsFile(
  path: string,
  tensors: TensorsInput,
  metadata?: Record<string, string> | null,
): Promise<void> {
  const plan = planSafetensors(tensors, metadata);
  const { open, rename, rm } = await nodeFs();
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  let fh: FileHandle;
  try {
    fh = await open(tmp, 'wx');
  } catch (cause) {
    throw new SafetensorsError('write', `cannot create ${tmp} (${(cause as Error).message})`, { cause });
  }
  try {
    await fh.write(plan.head);
    for (const t of plan.order) {
      const bytes = bytesOfTensor(t.dtype, t.data);
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, done, Math.min(bytes.length - done, 1 << 30));
        done += bytesWritten;
      }
    }
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (cause) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw cause instanceof SafetensorsError
      ? cause
      : new SafetensorsError('write', `could not write ${path} (${(cause as Error).message})`, { cause });
  }
}
