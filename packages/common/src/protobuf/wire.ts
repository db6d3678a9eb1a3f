// Protocol-buffer wire format: what SentencePiece's ModelProto (@albert-ts/tokenizer) and
// tf.train.Example (@albert-ts/pretraining) need — varints, int64, fixed32 floats, length-delimited
// fields, skipping unknown fields and groups — with bounds checks everywhere, so corrupt input throws
// the caller's error with the byte offset instead of reading garbage or hanging. Every read takes the
// end offset of the enclosing message. Facts from the protobuf encoding spec
// (https://protobuf.dev/programming-guides/encoding/); written here, not copied.

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const MAX_GROUP_DEPTH = 64;

/** Builds the error a malformed message throws: `what` went wrong at byte `offset` of the input. */
export type WireFailure = (what: string, offset: number) => Error;

export class WireReader {
  pos: number;
  private readonly view: DataView;
  /** `fail` makes the caller's own error (its message names the format); reading starts at `start`. */
  constructor(
    readonly bytes: Uint8Array,
    private readonly fail: WireFailure,
    start = 0,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Reads a varint as two 32-bit halves; returns the low half and stores the high one in `hi`. */
  hi = 0;
  varint(end: number): number {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw this.fail('truncated varint', start);
      const b = this.bytes[this.pos++] as number;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        this.hi = hi;
        return lo >>> 0;
      }
    }
    throw this.fail('varint longer than 10 bytes', start);
  }

  /** A varint that must fit a non-negative safe integer (lengths, tags, uint64 counts). */
  uint(end: number): number {
    const start = this.pos;
    const lo = this.varint(end);
    const hi = this.hi >>> 0;
    if (hi >= 0x200000) throw this.fail('varint value too large', start);
    return hi * 0x100000000 + lo;
  }

  int32(end: number): number {
    return this.varint(end) | 0;
  }

  /** A two's-complement int64 varint that must fit a safe integer (±2^53). */
  int64(end: number): number {
    const start = this.pos;
    const lo = this.varint(end);
    const value = (this.hi | 0) * 0x100000000 + lo;
    if (!Number.isSafeInteger(value)) throw this.fail('int64 value beyond ±2^53', start);
    return value;
  }

  fixed32Float(end: number): number {
    if (this.pos + 4 > end) throw this.fail('truncated 32-bit value', this.pos);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Length prefix and bounds of a length-delimited field; returns its end offset. */
  lengthDelimited(end: number): number {
    const start = this.pos;
    const len = this.uint(end);
    if (len > end - this.pos) {
      throw this.fail(`length ${len} runs past the end of the enclosing message`, start);
    }
    return this.pos + len;
  }

  /** Skips one field's payload of the given wire type (the tag is already read). */
  skip(wireType: number, fieldNumber: number, end: number, depth = 0): void {
    const start = this.pos;
    switch (wireType) {
      case WIRE_VARINT:
        this.varint(end);
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > end) throw this.fail('truncated 64-bit value', start);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lengthDelimited(end);
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > end) throw this.fail('truncated 32-bit value', start);
        this.pos += 4;
        return;
      case WIRE_START_GROUP: {
        if (depth >= MAX_GROUP_DEPTH) throw this.fail('groups nested too deeply', start);
        for (;;) {
          const tagPos = this.pos;
          const tag = this.uint(end);
          const wt = tag & 7;
          const fn = Math.floor(tag / 8);
          if (fn === 0) throw this.fail('field number 0', tagPos);
          if (wt === WIRE_END_GROUP) {
            if (fn !== fieldNumber) throw this.fail('mismatched end-group tag', tagPos);
            return;
          }
          this.skip(wt, fn, end, depth + 1);
        }
      }
      default:
        throw this.fail(`invalid wire type ${wireType} for field ${fieldNumber}`, start);
    }
  }
}

export class WireWriter {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Unsigned varint of a non-negative safe integer. */
  uint(value: number): void {
    this.reserve(10);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** int32 as protobuf writes it: negative values sign-extended to a 10-byte varint. */
  int32(value: number): void {
    this.int64(value | 0);
  }

  /** int64 of a safe integer: negative values as a 10-byte two's-complement varint. */
  int64(value: number): void {
    if (value >= 0) {
      this.uint(value);
      return;
    }
    this.reserve(10);
    let lo = value >>> 0;
    let hi = Math.floor(value / 0x100000000) >>> 0;
    for (let i = 0; i < 9; i++) {
      this.buf[this.length++] = (lo & 0x7f) | 0x80;
      lo = (lo >>> 7) | ((hi & 0x7f) << 25);
      hi >>>= 7;
    }
    this.buf[this.length++] = lo & 0x01;
  }

  tag(fieldNumber: number, wireType: number): void {
    this.uint(fieldNumber * 8 + wireType);
  }

  float(value: number): void {
    this.reserve(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
  }

  /** A length-delimited payload: its length as a varint, then the bytes. */
  bytes(bytes: Uint8Array): void {
    this.uint(bytes.length);
    this.raw(bytes);
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
