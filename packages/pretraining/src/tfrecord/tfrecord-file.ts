// Writing and streaming-reading TFRecord files of ALBERT pretraining examples in Node.
import type { FileHandle } from 'node:fs/promises';
import type { PretrainingExample } from '../corpus/example.js';
import { TFRecordError } from '../errors.js';
import { nodeFs } from '../node-builtins.js';
import { type AlbertFeatureShape, exampleToFeatures, featuresToExample } from './albert-features.js';
import { decodeExample, encodeExample } from './example-proto.js';
import { checkData, FOOTER_BYTES, frameRecord, HEADER_BYTES, parseHeader } from './record-framing.js';

/** Appends framed records to a file (buffered, 1 MiB writes); the file appears under its name only after `close()`. */
export class TFRecordWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  count = 0;

  private constructor(
    private readonly file: FileHandle,
    private readonly path: string,
    private readonly tmp: string,
  ) {}

  static async create(path: string): Promise<TFRecordWriter> {
    const tmp = `${path}.tmp-${process.pid}`;
    return new TFRecordWriter(await (await nodeFs()).open(tmp, 'w'), path, tmp);
  }

  async write(data: Uint8Array): Promise<void> {
    const record = frameRecord(data);
    this.pending.push(record);
    this.pendingBytes += record.length;
    this.count++;
    if (this.pendingBytes >= 1 << 20) await this.flush();
  }

  async writeExample(example: PretrainingExample, shape: AlbertFeatureShape): Promise<void> {
    await this.write(encodeExample(exampleToFeatures(example, shape)));
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.file.write(chunk);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file.close();
    await (await nodeFs()).rename(this.tmp, this.path);
  }
}

/** Stream the records of a TFRecord file, checking both CRCs of each. */
export async function* readTFRecordFile(path: string): AsyncGenerator<Uint8Array> {
  const file = await (await nodeFs()).open(path, 'r');
  try {
    const { size } = await file.stat();
    const header = new Uint8Array(HEADER_BYTES);
    let offset = 0;
    let index = 0;
    while (offset < size) {
      const where = `${path} record ${index} at byte ${offset}`;
      if (offset + HEADER_BYTES > size) throw new TFRecordError(`TFRecord ${where}: truncated header.`);
      await file.read(header, 0, HEADER_BYTES, offset);
      const length = parseHeader(header, where);
      if (offset + HEADER_BYTES + length + FOOTER_BYTES > size) {
        throw new TFRecordError(`TFRecord ${where}: truncated data (length ${length}, file size ${size}).`);
      }
      const body = new Uint8Array(length + FOOTER_BYTES);
      await file.read(body, 0, body.length, offset + HEADER_BYTES);
      const data = body.subarray(0, length);
      checkData(data, body.subarray(length), where);
      yield data;
      offset += HEADER_BYTES + length + FOOTER_BYTES;
      index++;
    }
  } finally {
    await file.close();
  }
}

export async function writeExamplesTFRecord(
  path: string,
  examples: Iterable<PretrainingExample> | AsyncIterable<PretrainingExample>,
  shape: AlbertFeatureShape,
): Promise<number> {
  const writer = await TFRecordWriter.create(path);
  for await (const e of examples) await writer.writeExample(e, shape);
  await writer.close();
  return writer.count;
}

export async function* readExamplesTFRecord(path: string): AsyncGenerator<PretrainingExample> {
  let index = 0;
  for await (const data of readTFRecordFile(path)) {
    const where = `${path} record ${index++}`;
    yield featuresToExample(decodeExample(data, where), where);
  }
}
