// Features -> one batch of flat typed arrays, row-major, ready for tf.tensor2d(x, [batchSize, seqLength])
// or core's inputsFromEncodings. Shorter rows are padded: ids with padId, masks and types with 0,
// token labels with -100.

import { IGNORE_INDEX } from '@albert-ts/core';
import { TaskInputError } from './errors.js';
import type { TokenInputs } from './token-inputs.js';

export type Batch = {
  batchSize: number;
  seqLength: number;
  inputIds: Int32Array; // [batchSize * seqLength]
  tokenTypeIds: Int32Array; // [batchSize * seqLength]
  attentionMask: Int32Array; // [batchSize * seqLength]
  /** token labels [batchSize * seqLength] (NER), class ids [batchSize], or targets [batchSize] (regression) */
  labels?: Int32Array | Float32Array;
  /** extractive QA training targets [batchSize] */
  startPositions?: Int32Array;
  endPositions?: Int32Array;
};

export type CollateOptions = {
  /** pad every row to this length (default: the longest row) */
  padTo?: number;
  /** the tokenizer's pad id (ALBERT: 0) */
  padId?: number;
  /** example labels are regression targets: Float32Array instead of Int32Array */
  regression?: boolean;
};

type Row = TokenInputs & {
  labels?: Int32Array;
  label?: number | null;
  startPosition?: number;
  endPosition?: number;
};

/** Stacks features (from any of the feature builders here) into one padded batch. */
export function collate(features: readonly Row[], options: CollateOptions = {}): Batch {
  const batchSize = features.length;
  if (batchSize === 0) throw new TaskInputError('collate: no features to batch');
  let seqLength = options.padTo ?? 0;
  for (const f of features) {
    if (options.padTo !== undefined && f.inputIds.length > options.padTo) {
      throw new TaskInputError(`collate: a row has ${f.inputIds.length} tokens, more than padTo ${options.padTo}`);
    }
    seqLength = Math.max(seqLength, f.inputIds.length);
  }
  const n = batchSize * seqLength;
  const inputIds = new Int32Array(n).fill(options.padId ?? 0);
  const tokenTypeIds = new Int32Array(n);
  const attentionMask = new Int32Array(n);
  const batch: Batch = { batchSize, seqLength, inputIds, tokenTypeIds, attentionMask };
  const first = features[0] as Row;
  const tokenLabels = first.labels instanceof Int32Array ? new Int32Array(n).fill(IGNORE_INDEX) : null;
  const hasLabel = typeof first.label === 'number';
  const exampleLabels = hasLabel
    ? options.regression
      ? new Float32Array(batchSize)
      : new Int32Array(batchSize)
    : null;
  const hasSpans = typeof first.startPosition === 'number';
  const starts = hasSpans ? new Int32Array(batchSize) : null;
  const ends = hasSpans ? new Int32Array(batchSize) : null;
  features.forEach((f, b) => {
    const at = b * seqLength;
    inputIds.set(f.inputIds, at);
    tokenTypeIds.set(f.tokenTypeIds, at);
    attentionMask.set(f.attentionMask, at);
    if (tokenLabels !== null) {
      if (!(f.labels instanceof Int32Array)) throw new TaskInputError(`collate: feature ${b} has no token labels`);
      tokenLabels.set(f.labels, at);
    }
    if (exampleLabels !== null) {
      if (typeof f.label !== 'number') throw new TaskInputError(`collate: feature ${b} has no label`);
      exampleLabels[b] = f.label;
    }
    if (starts !== null && ends !== null) {
      if (typeof f.startPosition !== 'number' || typeof f.endPosition !== 'number') {
        throw new TaskInputError(`collate: feature ${b} has no answer positions`);
      }
      starts[b] = f.startPosition;
      ends[b] = f.endPosition;
    }
  });
  if (tokenLabels !== null) batch.labels = tokenLabels;
  else if (exampleLabels !== null) batch.labels = exampleLabels;
  if (starts !== null && ends !== null) {
    batch.startPositions = starts;
    batch.endPositions = ends;
  }
  return batch;
}

export type ChoiceBatch = {
  batchSize: number;
  numChoices: number;
  seqLength: number;
  inputIds: Int32Array; // [batchSize * numChoices * seqLength]
  tokenTypeIds: Int32Array;
  attentionMask: Int32Array;
  /** [batchSize] index of the right option, when every feature has one */
  labels?: Int32Array;
};

/** Stacks multiple-choice features into [batch, choices, seq] arrays (rows padded to the longest). */
export function collateChoices(
  features: readonly {
    numChoices: number;
    seqLength: number;
    inputIds: Int32Array;
    tokenTypeIds: Int32Array;
    attentionMask: Int32Array;
    label: number | null;
  }[],
  options: { padId?: number; padTo?: number } = {},
): ChoiceBatch {
  const batchSize = features.length;
  if (batchSize === 0) throw new TaskInputError('collateChoices: no features to batch');
  const numChoices = (features[0] as { numChoices: number }).numChoices;
  let seqLength = options.padTo ?? 0;
  for (const [b, f] of features.entries()) {
    if (f.numChoices !== numChoices) {
      throw new TaskInputError(`collateChoices: feature ${b} has ${f.numChoices} choices, feature 0 has ${numChoices}`);
    }
    if (options.padTo !== undefined && f.seqLength > options.padTo) {
      throw new TaskInputError(
        `collateChoices: feature ${b} has ${f.seqLength} tokens per choice, more than padTo ${options.padTo}`,
      );
    }
    seqLength = Math.max(seqLength, f.seqLength);
  }
  const n = batchSize * numChoices * seqLength;
  const inputIds = new Int32Array(n).fill(options.padId ?? 0);
  const tokenTypeIds = new Int32Array(n);
  const attentionMask = new Int32Array(n);
  features.forEach((f, b) => {
    for (let c = 0; c < numChoices; c++) {
      const from = c * f.seqLength;
      const to = (b * numChoices + c) * seqLength;
      inputIds.set(f.inputIds.subarray(from, from + f.seqLength), to);
      tokenTypeIds.set(f.tokenTypeIds.subarray(from, from + f.seqLength), to);
      attentionMask.set(f.attentionMask.subarray(from, from + f.seqLength), to);
    }
  });
  const out: ChoiceBatch = { batchSize, numChoices, seqLength, inputIds, tokenTypeIds, attentionMask };
  if (features.every((f) => f.label !== null)) out.labels = Int32Array.from(features, (f) => f.label as number);
  return out;
}
