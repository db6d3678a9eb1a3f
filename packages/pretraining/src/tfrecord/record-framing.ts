// TFRecord framing (tensorflow/core/lib/io/record_writer.cc): each record is
//   uint64 length (little-endian) | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)
import { TFRecordError } from '../errors.js';
import { crc32c, maskCrc } from './crc32c.js';

export const HEADER_BYTES = 12;
export const FOOTER_BYTES = 4;

/** One framed record. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + data.length + FOOTER_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskCrc(crc32c(out.subarray(0, 8))), true);
  out.set(data, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + data.length, maskCrc(crc32c(data)), true);
  return out;
}

/** Check a 12-byte header; returns the data length. `where` names the record for errors. */
export function parseHeader(header: Uint8Array, where: string): number {
  const view = new DataView(header.buffer, header.byteOffset, 12);
  const expected = view.getUint32(8, true);
  const actual = maskCrc(crc32c(header.subarray(0, 8)));
  if (expected !== actual) {
    throw new TFRecordError(
      `TFRecord ${where}: length CRC mismatch (stored 0x${expected.toString(16)}, computed 0x${actual.toString(16)}); the file is corrupt or not a TFRecord file.`,
    );
  }
  const length = view.getBigUint64(0, true);
  if (length > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new TFRecordError(`TFRecord ${where}: record length ${length} is too large to read.`);
  }
  return Number(length);
}

/** Check a record's data against its 4-byte footer. */
export function checkData(data: Uint8Array, footer: Uint8Array, where: string): void {
  const expected = new DataView(footer.buffer, footer.byteOffset, 4).getUint32(0, true);
  const actual = maskCrc(crc32c(data));
  if (expected !== actual) {
    throw new TFRecordError(
      `TFRecord ${where}: data CRC mismatch (stored 0x${expected.toString(16)}, computed 0x${actual.toString(16)}); the record is corrupt.`,
    );
  }
}

/** All records of an in-memory TFRecord file. */
export function* parseRecords(bytes: Uint8Array): Generator<Uint8Array> {
  let offset = 0;
  let index = 0;
  while (offset < bytes.length) {
    const where = `record ${index} at byte ${offset}`;
    if (offset + HEADER_BYTES > bytes.length) {
      throw new TFRecordError(`TFRecord ${where}: truncated header (${bytes.length - offset} bytes left, need 12).`);
    }
    const length = parseHeader(bytes.subarray(offset, offset + HEADER_BYTES), where);
    const end = offset + HEADER_BYTES + length;
    if (end + FOOTER_BYTES > bytes.length) {
      throw new TFRecordError(
        `TFRecord ${where}: truncated data (length ${length}, ${bytes.length - offset - 12} bytes left).`,
      );
    }
    const data = bytes.subarray(offset + HEADER_BYTES, end);
    checkData(data, bytes.subarray(end, end + FOOTER_BYTES), where);
    yield data;
    offset = end + FOOTER_BYTES;
    index++;
  }
}
