// What encode returns: plain typed arrays, one entry per token.

export interface Encoding {
  /** token ids // [length] */
  inputIds: Int32Array;
  /** 0 for [CLS] A [SEP], 1 for B [SEP]; 0 on padding // [length] */
  tokenTypeIds: Int32Array;
  /** 1 for real tokens, 0 for padding // [length] */
  attentionMask: Int32Array;
  /** 1 for the [CLS]/[SEP] the template adds and for padding, 0 for text tokens // [length] */
  specialTokensMask: Int32Array;
  /**
   * [start, end) of each token in the ORIGINAL string (UTF-16 indices) it came from: text A for
   * sequence 0, text B for sequence 1. Template tokens and padding get [0, 0]. // [length * 2]
   */
  offsets: Int32Array;
  /** which input each token came from: 0 (A), 1 (B), -1 (template token or padding) // [length] */
  sequenceIds: Int8Array;
  /** further windows of a truncated input (stride overlap), each a complete Encoding */
  overflow: Encoding[];
}

/** One token sequence before the template: ids and the original [start, end) of each. */
export interface TokenSequence {
  ids: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

export function sliceSequence(seq: TokenSequence, from: number, to: number): TokenSequence {
  return { ids: seq.ids.subarray(from, to), starts: seq.starts.subarray(from, to), ends: seq.ends.subarray(from, to) };
}

/** A growable TokenSequence that tokenizers write into (reused between calls). */
export class TokenSink {
  ids = new Int32Array(256);
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  length = 0;
  /** the token strings too, when asked for (tokenize) */
  pieces: string[] | null = null;

  reset(withPieces: boolean): this {
    this.length = 0;
    this.pieces = withPieces ? [] : null;
    return this;
  }

  push(id: number, start: number, end: number): void {
    if (this.length === this.ids.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.ids = grow(this.ids);
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    const i = this.length++;
    this.ids[i] = id;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  /** Views of the current content, valid until the sink is reused. */
  view(): TokenSequence {
    return sliceSequence(this, 0, this.length);
  }

  /** A copy, safe to keep after the sink is reused. */
  toSequence(): TokenSequence {
    return {
      ids: this.ids.slice(0, this.length),
      starts: this.starts.slice(0, this.length),
      ends: this.ends.slice(0, this.length),
    };
  }
}
