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
  ids: number[];
  starts: number[];
  ends: number[];
}

export function sliceSequence(seq: TokenSequence, from: number, to: number): TokenSequence {
  return { ids: seq.ids.slice(from, to), starts: seq.starts.slice(from, to), ends: seq.ends.slice(from, to) };
}
