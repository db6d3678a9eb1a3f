// IEEE half and bfloat16 <-> float32, bit by bit (no Float16Array in Node 20).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits -> float32 value (exact: every half is a float). */
export function halfToFloat(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) {
    u32[0] = sign | 0x7f800000 | (mant << 13); // inf / nan (payload kept)
  } else if (exp !== 0) {
    u32[0] = sign | ((exp + 112) << 23) | (mant << 13); // 127 - 15 = 112
  } else if (mant === 0) {
    u32[0] = sign; // +-0
  } else {
    // subnormal half: normalise into a float32 exponent
    let e = 113;
    while ((mant & 0x400) === 0) {
      mant <<= 1;
      e--;
    }
    u32[0] = sign | (e << 23) | ((mant & 0x3ff) << 13);
  }
  return f32[0]!;
}

/** float32 value -> IEEE binary16 bits, round to nearest even (as numpy and torch do). */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant === 0 ? 0 : 0x200 | (mant >>> 13)); // inf / nan
  const e = exp - 112; // rebias 127 -> 15
  if (e >= 0x1f) return sign | 0x7c00; // overflow -> inf
  if (e <= 0) {
    if (e < -10) return sign; // underflows to +-0
    const m = mant | 0x800000; // implicit bit
    const shift = 14 - e;
    let half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++; // may carry into exponent: correct
  return sign | half;
}

/** bfloat16 bits -> float32 value (the top half of a float32). */
export function bfloat16ToFloat(b: number): number {
  u32[0] = b << 16;
  return f32[0]!;
}

/** float32 value -> bfloat16 bits, round to nearest even; NaN stays NaN. */
export function floatToBfloat16(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return (x >>> 16) | 0x40;
  const rounded = x + 0x7fff + ((x >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

/** Decode little-endian 16-bit values (F16 or BF16) into a new Float32Array. */
export function decode16(bits: Uint16Array, dtype: 'F16' | 'BF16'): Float32Array {
  const out = new Float32Array(bits.length);
  if (dtype === 'BF16') {
    const outBits = new Uint32Array(out.buffer);
    for (let i = 0; i < bits.length; i++) outBits[i] = bits[i]! << 16;
  } else {
    for (let i = 0; i < bits.length; i++) out[i] = halfToFloat(bits[i]!);
  }
  return out;
}

/** Encode float32 values as little-endian 16-bit values (F16 or BF16). */
export function encode16(values: Float32Array, dtype: 'F16' | 'BF16'): Uint16Array {
  const out = new Uint16Array(values.length);
  const convert = dtype === 'BF16' ? floatToBfloat16 : floatToHalf;
  for (let i = 0; i < values.length; i++) out[i] = convert(values[i]!);
  return out;
}
