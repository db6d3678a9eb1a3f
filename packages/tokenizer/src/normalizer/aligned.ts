// Text being normalized, one UTF-16 code unit at a time, with the range of the ORIGINAL input each
// unit came from: unit i of `units` stands for original[start[i], end[i]). Every normalization step
// reads one AlignedText and writes another, so offsets survive lower-casing, NFKD, the charsmap and
// whitespace collapsing. Buffers grow and are reused; nothing is allocated per character.

export class AlignedText {
  units: Uint16Array;
  start: Int32Array;
  end: Int32Array;
  length = 0;

  constructor(capacity = 256) {
    this.units = new Uint16Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
  }

  reset(): this {
    this.length = 0;
    return this;
  }

  /** Gives back the memory of a buffer grown past `max` units by one huge input. */
  shrink(max = 1 << 20): void {
    if (this.units.length <= max) return;
    this.units = new Uint16Array(256);
    this.start = new Int32Array(256);
    this.end = new Int32Array(256);
    this.length = 0;
  }

  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.units.length) return;
    let cap = this.units.length * 2;
    while (cap < need) cap *= 2;
    const u = new Uint16Array(cap);
    u.set(this.units.subarray(0, this.length));
    const s = new Int32Array(cap);
    s.set(this.start.subarray(0, this.length));
    const e = new Int32Array(cap);
    e.set(this.end.subarray(0, this.length));
    this.units = u;
    this.start = s;
    this.end = e;
  }

  push(unit: number, start: number, end: number): void {
    if (this.length === this.units.length) this.reserve(1);
    const i = this.length++;
    this.units[i] = unit;
    this.start[i] = start;
    this.end[i] = end;
  }

  /** Appends every code unit of `s`, all standing for original[start, end). */
  pushString(s: string, start: number, end: number): void {
    this.reserve(s.length);
    for (let k = 0; k < s.length; k++) {
      const i = this.length++;
      this.units[i] = s.charCodeAt(k);
      this.start[i] = start;
      this.end[i] = end;
    }
  }

  /** Replaces the content with `text`, unit i standing for original[offset + i, offset + i + 1). */
  setIdentity(text: string, offset = 0): this {
    this.length = 0;
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) {
      this.units[i] = text.charCodeAt(i);
      this.start[i] = offset + i;
      this.end[i] = offset + i + 1;
    }
    this.length = text.length;
    return this;
  }

  toString(from = 0, to = this.length): string {
    let out = '';
    for (let i = from; i < to; i += 4096) {
      out += String.fromCharCode.apply(null, this.units.subarray(i, Math.min(to, i + 4096)) as unknown as number[]);
    }
    return out;
  }
}
