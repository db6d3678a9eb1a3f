// One pretraining example = one SOP pair with its masked-LM predictions, as
// `create_pretraining_data.py` writes it (before padding).
import { type MaskingOptions, maskNgrams } from '../masking/ngram-masking.js';
import type { RandomGenerator } from '../random/seeded-rng.js';
import type { SopInstance } from '../sop/sop-builder.js';

export interface PretrainingExample {
  /** Masked ids, unpadded: [CLS] A [SEP] B [SEP] with [MASK]/random/kept tokens at the masked positions. */
  inputIds: Int32Array;
  /** Segment ids, same length. */
  tokenTypeIds: Int32Array;
  /** 1 at [CLS]/[SEP] and at word starts. */
  tokenBoundary: Uint8Array;
  /** Masked positions (ascending) and the original ids there. */
  maskedPositions: Int32Array;
  maskedIds: Int32Array;
  /** 1 when the segments were swapped. */
  sentenceOrderLabel: 0 | 1;
}

export function maskInstance(
  instance: SopInstance,
  rng: RandomGenerator,
  masking: Omit<MaskingOptions, 'recordSpans'>,
): PretrainingExample {
  const masked = maskNgrams({ ids: instance.ids, wordStart: instance.tokenBoundary }, rng, masking);
  return {
    inputIds: masked.inputIds,
    tokenTypeIds: instance.tokenTypeIds,
    tokenBoundary: instance.tokenBoundary,
    maskedPositions: masked.positions,
    maskedIds: masked.labels,
    sentenceOrderLabel: instance.sentenceOrderLabel,
  };
}

/** JSON-friendly form (for resumable pipeline state). */
export interface SerializedExample {
  inputIds: number[];
  tokenTypeIds: number[];
  tokenBoundary: number[];
  maskedPositions: number[];
  maskedIds: number[];
  sentenceOrderLabel: 0 | 1;
}

export function serializeExample(e: PretrainingExample): SerializedExample {
  return {
    inputIds: Array.from(e.inputIds),
    tokenTypeIds: Array.from(e.tokenTypeIds),
    tokenBoundary: Array.from(e.tokenBoundary),
    maskedPositions: Array.from(e.maskedPositions),
    maskedIds: Array.from(e.maskedIds),
    sentenceOrderLabel: e.sentenceOrderLabel,
  };
}

export function deserializeExample(s: SerializedExample): PretrainingExample {
  return {
    inputIds: Int32Array.from(s.inputIds),
    tokenTypeIds: Int32Array.from(s.tokenTypeIds),
    tokenBoundary: Uint8Array.from(s.tokenBoundary),
    maskedPositions: Int32Array.from(s.maskedPositions),
    maskedIds: Int32Array.from(s.maskedIds),
    sentenceOrderLabel: s.sentenceOrderLabel,
  };
}
