// tf.train.Example in protobuf wire format (tensorflow/core/example/example.proto, feature.proto):
//   Example   { Features features = 1; }
//   Features  { map<string, Feature> feature = 1; }       map entry: { string key = 1; Feature value = 2; }
//   Feature   { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
//   BytesList { repeated bytes value = 1; }
//   FloatList { repeated float value = 1 [packed = true]; }
//   Int64List { repeated int64 value = 1 [packed = true]; }
// Hand-written on common's wire codec because these five messages are all we need; a protobuf
// library would add a schema compiler step. The writer emits packed lists (as TensorFlow does); the
// reader accepts packed and unpacked ones and skips unknown fields, as protobuf parsers must.
import { WIRE_FIXED32, WIRE_LEN, WIRE_VARINT, WireReader, WireWriter } from '@albert-ts/common';
import { TFRecordError } from '../errors.js';

export type Feature =
  | { kind: 'int64'; values: number[] }
  | { kind: 'float'; values: Float32Array }
  | { kind: 'bytes'; values: Uint8Array[] };

export type Features = Map<string, Feature>;

// ---- writing ----

const utf8 = new TextEncoder();

function encodeFeature(f: Feature): Uint8Array {
  const list = new WireWriter();
  if (f.kind === 'int64') {
    if (f.values.length > 0) {
      const packed = new WireWriter();
      for (const v of f.values) {
        if (!Number.isSafeInteger(v)) throw new TFRecordError(`Int64List value ${v} is not a safe integer.`);
        packed.int64(v);
      }
      list.tag(1, WIRE_LEN);
      list.bytes(packed.finish());
    }
  } else if (f.kind === 'float') {
    if (f.values.length > 0) {
      const packed = new WireWriter();
      for (const v of f.values) packed.float(v);
      list.tag(1, WIRE_LEN);
      list.bytes(packed.finish());
    }
  } else {
    for (const b of f.values) {
      list.tag(1, WIRE_LEN);
      list.bytes(b);
    }
  }
  const feature = new WireWriter();
  feature.tag(f.kind === 'bytes' ? 1 : f.kind === 'float' ? 2 : 3, WIRE_LEN);
  feature.bytes(list.finish());
  return feature.finish();
}

export function encodeExample(features: Features): Uint8Array {
  const map = new WireWriter();
  for (const [key, feature] of features) {
    const entry = new WireWriter();
    entry.tag(1, WIRE_LEN);
    entry.bytes(utf8.encode(key));
    entry.tag(2, WIRE_LEN);
    entry.bytes(encodeFeature(feature));
    map.tag(1, WIRE_LEN);
    map.bytes(entry.finish());
  }
  const example = new WireWriter();
  example.tag(1, WIRE_LEN);
  example.bytes(map.finish());
  return example.finish();
}

// ---- reading ----

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Tag of field `field` with wire type `wire`. */
const tagOf = (field: number, wire: number): number => field * 8 + wire;

/** A list of Feature (bytes | float | int64) between r.pos and `end`. */
function decodeFeature(r: WireReader, end: number): Feature {
  let feature: Feature = { kind: 'bytes', values: [] };
  while (r.pos < end) {
    const tag = r.uint(end);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire !== WIRE_LEN || field < 1 || field > 3) {
      r.skip(wire, field, end);
      continue;
    }
    const listEnd = r.lengthDelimited(end);
    if (field === 1) {
      const values: Uint8Array[] = [];
      while (r.pos < listEnd) {
        const t = r.uint(listEnd);
        if (t === tagOf(1, WIRE_LEN)) {
          const stop = r.lengthDelimited(listEnd);
          values.push(r.bytes.slice(r.pos, stop));
          r.pos = stop;
        } else r.skip(t & 7, Math.floor(t / 8), listEnd);
      }
      feature = { kind: 'bytes', values };
    } else if (field === 2) {
      const values: number[] = [];
      while (r.pos < listEnd) {
        const t = r.uint(listEnd);
        if (t === tagOf(1, WIRE_LEN)) {
          const stop = r.lengthDelimited(listEnd);
          while (r.pos < stop) values.push(r.fixed32Float(stop));
        } else if (t === tagOf(1, WIRE_FIXED32)) values.push(r.fixed32Float(listEnd));
        else r.skip(t & 7, Math.floor(t / 8), listEnd);
      }
      feature = { kind: 'float', values: Float32Array.from(values) };
    } else {
      const values: number[] = [];
      while (r.pos < listEnd) {
        const t = r.uint(listEnd);
        if (t === tagOf(1, WIRE_LEN)) {
          const stop = r.lengthDelimited(listEnd);
          while (r.pos < stop) values.push(r.int64(stop));
        } else if (t === tagOf(1, WIRE_VARINT)) values.push(r.int64(listEnd));
        else r.skip(t & 7, Math.floor(t / 8), listEnd);
      }
      feature = { kind: 'int64', values };
    }
  }
  return feature;
}

/** Parse a serialized tf.train.Example. `where` names the record in error messages. */
export function decodeExample(bytes: Uint8Array, where = 'record'): Features {
  const fail = (what: string, offset: number) =>
    new TFRecordError(`tf.train.Example ${where}: ${what} at byte ${offset}; the record is not a valid Example.`);
  const features: Features = new Map();
  const r = new WireReader(bytes, fail);
  const end = bytes.length;
  while (r.pos < end) {
    const tag = r.uint(end);
    if (tag !== tagOf(1, WIRE_LEN)) {
      r.skip(tag & 7, Math.floor(tag / 8), end);
      continue;
    }
    const mapEnd = r.lengthDelimited(end);
    while (r.pos < mapEnd) {
      const t = r.uint(mapEnd);
      if (t !== tagOf(1, WIRE_LEN)) {
        r.skip(t & 7, Math.floor(t / 8), mapEnd);
        continue;
      }
      const entryEnd = r.lengthDelimited(mapEnd);
      let key = '';
      let value: Feature = { kind: 'bytes', values: [] };
      while (r.pos < entryEnd) {
        const et = r.uint(entryEnd);
        if (et === tagOf(1, WIRE_LEN)) {
          const stop = r.lengthDelimited(entryEnd);
          try {
            key = utf8Decoder.decode(bytes.subarray(r.pos, stop));
          } catch {
            throw fail('feature name is not UTF-8', r.pos);
          }
          r.pos = stop;
        } else if (et === tagOf(2, WIRE_LEN)) {
          const stop = r.lengthDelimited(entryEnd);
          value = decodeFeature(r, stop);
        } else r.skip(et & 7, Math.floor(et / 8), entryEnd);
      }
      features.set(key, value);
    }
  }
  return features;
}
