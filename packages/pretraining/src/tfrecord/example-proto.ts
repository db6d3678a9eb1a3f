// tf.train.Example in protobuf wire format (tensorflow/core/example/example.proto, feature.proto):
//   Example   { Features features = 1; }
//   Features  { map<string, Feature> feature = 1; }       map entry: { string key = 1; Feature value = 2; }
//   Feature   { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
//   BytesList { repeated bytes value = 1; }
//   FloatList { repeated float value = 1 [packed = true]; }
//   Int64List { repeated int64 value = 1 [packed = true]; }
// Hand-written because these five messages are all we need; a protobuf library would add a
// schema compiler step for ~150 lines. The writer emits packed lists (as TensorFlow does); the
// reader accepts packed and unpacked ones and skips unknown fields, as protobuf parsers must.
import { TFRecordError } from '../errors.js';

export type Feature =
  | { kind: 'int64'; values: number[] }
  | { kind: 'float'; values: Float32Array }
  | { kind: 'bytes'; values: Uint8Array[] };

export type Features = Map<string, Feature>;

// ---- writing ----

class Writer {
  private buf = new Uint8Array(256);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  /** Unsigned varint of a non-negative safe integer. */
  varint(v: number): void {
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  /** int64 varint: negative values as 10-byte two's complement. */
  int64(v: number): void {
    if (v >= 0) {
      this.varint(v);
      return;
    }
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.byte(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.byte(Number(x));
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const utf8 = new TextEncoder();

function encodeFeature(f: Feature): Uint8Array {
  const list = new Writer();
  if (f.kind === 'int64') {
    if (f.values.length > 0) {
      const packed = new Writer();
      for (const v of f.values) {
        if (!Number.isSafeInteger(v)) throw new TFRecordError(`Int64List value ${v} is not a safe integer.`);
        packed.int64(v);
      }
      list.tag(1, 2);
      list.bytes(packed.finish());
    }
  } else if (f.kind === 'float') {
    if (f.values.length > 0) {
      const raw = new Uint8Array(f.values.length * 4);
      const view = new DataView(raw.buffer);
      for (let i = 0; i < f.values.length; i++) view.setFloat32(i * 4, f.values[i] as number, true);
      list.tag(1, 2);
      list.bytes(raw);
    }
  } else {
    for (const b of f.values) {
      list.tag(1, 2);
      list.bytes(b);
    }
  }
  const feature = new Writer();
  feature.tag(f.kind === 'bytes' ? 1 : f.kind === 'float' ? 2 : 3, 2);
  feature.bytes(list.finish());
  return feature.finish();
}

export function encodeExample(features: Features): Uint8Array {
  const map = new Writer();
  for (const [key, feature] of features) {
    const entry = new Writer();
    entry.tag(1, 2);
    entry.bytes(utf8.encode(key));
    entry.tag(2, 2);
    entry.bytes(encodeFeature(feature));
    map.tag(1, 2);
    map.bytes(entry.finish());
  }
  const example = new Writer();
  example.tag(1, 2);
  example.bytes(map.finish());
  return example.finish();
}

// ---- reading ----

class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly where: string,
    readonly start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  fail(what: string): never {
    throw new TFRecordError(
      `tf.train.Example ${this.where}: ${what} at byte ${this.pos}; the record is not a valid Example.`,
    );
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Varint as [low 32 bits, high 32 bits]. */
  varint64(): [number, number] {
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.bytes[this.pos++] as number;
      const bits = b & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (shift - 32);
      if ((b & 0x80) === 0) return [lo >>> 0, hi >>> 0];
    }
    return this.fail('varint longer than 10 bytes');
  }

  varint(): number {
    const [lo, hi] = this.varint64();
    if (hi > 0x1fffff) this.fail('varint too large');
    return hi * 0x1_0000_0000 + lo;
  }

  int64(): number {
    const [lo, hi] = this.varint64();
    const value = (hi | 0) * 0x1_0000_0000 + lo;
    if (!Number.isSafeInteger(value)) this.fail(`int64 value beyond ±2^53`);
    return value;
  }

  sub(): Reader {
    const n = this.varint();
    if (this.pos + n > this.end) this.fail(`length ${n} runs past the end`);
    const r = new Reader(this.bytes, this.where, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint64();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.sub();
    else if (wire === 5) this.pos += 4;
    else this.fail(`unsupported wire type ${wire}`);
    if (this.pos > this.end) this.fail('field runs past the end');
  }

  float32(): number {
    if (this.pos + 4 > this.end) this.fail('truncated float');
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function decodeFeature(r: Reader): Feature {
  let feature: Feature = { kind: 'bytes', values: [] };
  while (!r.done) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire !== 2 || field < 1 || field > 3) {
      r.skip(wire);
      continue;
    }
    const list = r.sub();
    if (field === 1) {
      const values: Uint8Array[] = [];
      while (!list.done) {
        const t = list.varint();
        if (t >>> 3 === 1 && (t & 7) === 2) {
          const s = list.sub();
          values.push(s.bytes.slice(s.start, s.end));
        } else list.skip(t & 7);
      }
      feature = { kind: 'bytes', values };
    } else if (field === 2) {
      const values: number[] = [];
      while (!list.done) {
        const t = list.varint();
        if (t === ((1 << 3) | 2)) {
          const packed = list.sub();
          while (!packed.done) values.push(packed.float32());
        } else if (t === ((1 << 3) | 5)) values.push(list.float32());
        else list.skip(t & 7);
      }
      feature = { kind: 'float', values: Float32Array.from(values) };
    } else {
      const values: number[] = [];
      while (!list.done) {
        const t = list.varint();
        if (t === ((1 << 3) | 2)) {
          const packed = list.sub();
          while (!packed.done) values.push(packed.int64());
        } else if (t === ((1 << 3) | 0)) values.push(list.int64());
        else list.skip(t & 7);
      }
      feature = { kind: 'int64', values };
    }
  }
  return feature;
}

/** Parse a serialized tf.train.Example. `where` names the record in error messages. */
export function decodeExample(bytes: Uint8Array, where = 'record'): Features {
  const features: Features = new Map();
  const r = new Reader(bytes, where);
  while (!r.done) {
    const tag = r.varint();
    if (tag !== ((1 << 3) | 2)) {
      r.skip(tag & 7);
      continue;
    }
    const map = r.sub();
    while (!map.done) {
      const t = map.varint();
      if (t !== ((1 << 3) | 2)) {
        map.skip(t & 7);
        continue;
      }
      const entry = map.sub();
      let key = '';
      let value: Feature = { kind: 'bytes', values: [] };
      while (!entry.done) {
        const et = entry.varint();
        if (et === ((1 << 3) | 2)) {
          const s = entry.sub();
          try {
            key = utf8Decoder.decode(s.bytes.subarray(s.start, s.end));
          } catch {
            s.fail('feature name is not UTF-8');
          }
        } else if (et === ((2 << 3) | 2)) value = decodeFeature(entry.sub());
        else entry.skip(et & 7);
      }
      features.set(key, value);
    }
  }
  return features;
}
