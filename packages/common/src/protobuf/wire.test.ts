// The wire codec against the encodings written out in the protobuf spec
// (https://protobuf.dev/programming-guides/encoding/: 150 → 96 01, -2 as int32/int64 → ten bytes
// fe ff ff ff ff ff ff ff ff 01, 1 → 01) and its bounds checks.
import { describe, expect, it } from 'vitest';
import { WIRE_LEN, WIRE_VARINT, WireReader, WireWriter } from './wire.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
const fail = (what: string, offset: number) => new Error(`${what} @${offset}`);

describe('protobuf wire codec', () => {
  it('writes varints and negative int64 as the spec does', () => {
    const w = new WireWriter();
    w.uint(150);
    w.int64(-2);
    w.int32(-2);
    w.int64(2 ** 53 - 1);
    expect(hex(w.finish())).toBe(
      '96 01 fe ff ff ff ff ff ff ff ff 01 fe ff ff ff ff ff ff ff ff 01 ff ff ff ff ff ff ff 0f',
    );
  });

  it('reads back what it writes, including -2^53+1 and length-delimited fields', () => {
    const w = new WireWriter();
    const values = [0, 1, -1, 300, -(2 ** 53) + 1, 2 ** 53 - 1, -(2 ** 31)];
    for (const v of values) w.int64(v);
    w.tag(3, WIRE_LEN);
    w.bytes(Uint8Array.from([7, 8, 9]));
    const bytes = w.finish();
    const r = new WireReader(bytes, fail);
    expect(values.map(() => r.int64(bytes.length))).toEqual(values);
    expect(r.uint(bytes.length)).toBe(3 * 8 + WIRE_LEN);
    const end = r.lengthDelimited(bytes.length);
    expect(Array.from(bytes.subarray(r.pos, end))).toEqual([7, 8, 9]);
  });

  it("throws the caller's error with the byte offset on truncated or overlong input", () => {
    expect(() => new WireReader(Uint8Array.from([0x96]), fail).uint(1)).toThrow('truncated varint @0');
    const long = new Uint8Array(11).fill(0xff);
    expect(() => new WireReader(long, fail).uint(11)).toThrow('varint longer than 10 bytes @0');
    const r = new WireReader(Uint8Array.from([0x08, 0x0a, 0x05, 1]), fail);
    r.skip(WIRE_VARINT, 1, 4); // skips the value 8 as a varint field's payload
    expect(() => r.lengthDelimited(4)).toThrow('length 10 runs past the end of the enclosing message @1');
  });
});
