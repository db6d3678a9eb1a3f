// Model inputs from tokenizer output: the tokenizer's Encoding objects (plain Int32Arrays) become
// the int32 tensors AlbertModel.forward takes, padded to the longest row or to `padTo`. Typed
// structurally, so core does not depend on @albert-ts/tokenizer.
import * as tf from '@tensorflow/tfjs-core';
import { ModelInputError } from '../errors.js';

/** What inputsFromEncodings reads of an Encoding (a missing mask means all ones, missing types all zeros). */
export type EncodingLike = {
  inputIds: ArrayLike<number>;
  attentionMask?: ArrayLike<number>;
  tokenTypeIds?: ArrayLike<number>;
};

/** int32 [batch, seq] each; dispose with `tf.dispose(inputs)`. */
export type EncodedInputs = {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
};

/**
 * One encoding (batch 1) or many -> int32 tensors [batch, seq]. seq is the longest encoding, or
 * `padTo` (an encoding longer than that is an error: truncate it in the tokenizer). Padding gets
 * id `padId` (default 0, ALBERT's <pad>), mask 0 and type 0.
 */
export function inputsFromEncodings(
  encodings: EncodingLike | readonly EncodingLike[],
  options: { padTo?: number; padId?: number } = {},
): EncodedInputs {
  const list: readonly EncodingLike[] = isList(encodings) ? encodings : [encodings];
  if (list.length === 0) throw new ModelInputError('inputsFromEncodings: no encodings given; pass at least one.');
  list.forEach(check);
  const longest = list.reduce((m, e) => Math.max(m, e.inputIds.length), 0);
  const seq = options.padTo ?? longest;
  if (!Number.isInteger(seq) || seq < 1) {
    throw new ModelInputError(`inputsFromEncodings: padTo must be a positive integer; got ${options.padTo}.`);
  }
  if (longest > seq) {
    const i = list.findIndex((e) => e.inputIds.length > seq);
    throw new ModelInputError(
      `inputsFromEncodings: encoding ${i} has ${longest} tokens, more than padTo ${seq}; truncate it (tokenizer maxLength) or raise padTo.`,
    );
  }
  const batch = list.length;
  const ids = new Int32Array(batch * seq).fill(options.padId ?? 0);
  const mask = new Int32Array(batch * seq);
  const types = new Int32Array(batch * seq);
  list.forEach((e, b) => {
    const row = b * seq;
    const n = e.inputIds.length;
    ids.set(e.inputIds, row);
    if (e.attentionMask != null) mask.set(e.attentionMask, row);
    else mask.fill(1, row, row + n);
    if (e.tokenTypeIds != null) types.set(e.tokenTypeIds, row);
  });
  const shape: [number, number] = [batch, seq];
  return {
    inputIds: tf.tensor2d(ids, shape, 'int32'),
    attentionMask: tf.tensor2d(mask, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(types, shape, 'int32'),
  };
}

function isList(x: EncodingLike | readonly EncodingLike[]): x is readonly EncodingLike[] {
  return Array.isArray(x);
}

function check(e: EncodingLike, i: number): void {
  if (e == null || e.inputIds == null || typeof e.inputIds.length !== 'number') {
    throw new ModelInputError(
      `inputsFromEncodings: encoding ${i} has no inputIds; pass the tokenizer's Encoding objects ({ inputIds, attentionMask, tokenTypeIds }).`,
    );
  }
  for (const field of ['attentionMask', 'tokenTypeIds'] as const) {
    const values = e[field];
    if (values != null && values.length !== e.inputIds.length) {
      throw new ModelInputError(
        `inputsFromEncodings: encoding ${i} has ${e.inputIds.length} inputIds but ${values.length} ${field}; they must have the same length.`,
      );
    }
  }
}
