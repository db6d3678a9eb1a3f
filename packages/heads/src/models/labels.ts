// Checks of the labels a head's forward takes, before any tensor work: the wrong dtype, shape or a
// class id out of range is a ModelInputError that says which labels, what was expected and what to do
// (torch would fail deep inside the loss, or a one-hot would silently zero the row).
import { IGNORE_INDEX, ModelInputError } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';

export type LabelRule = {
  /** 'labels', 'startPositions', … (for messages). */
  name: string;
  /** The head, for messages. */
  where: string;
  dtype: 'int32' | 'float32';
  /** Accepted shapes (first one is the one named in messages). */
  shapes: number[][];
  /** int32 labels: ids must be in [0, classes) or equal IGNORE_INDEX (-100). */
  classes?: number;
  /** What to do instead, added to dtype and shape errors. */
  hint?: string;
};

/** Throws ModelInputError unless `labels` is a tensor of the rule's dtype, one of its shapes and range. */
export function checkLabels(labels: unknown, rule: LabelRule): asserts labels is tf.Tensor {
  const expected = rule.shapes.map((s) => `[${s}]`).join(' or ');
  if (!(labels instanceof tf.Tensor)) {
    throw new ModelInputError(
      `${rule.where}: ${rule.name} must be a ${rule.dtype} tf.Tensor of shape ${expected}; got ${typeof labels}.`,
    );
  }
  const hint = rule.hint == null ? '' : ` ${rule.hint}`;
  if (labels.dtype !== rule.dtype) {
    throw new ModelInputError(`${rule.where}: ${rule.name} must be ${rule.dtype}; got ${labels.dtype}.${hint}`);
  }
  if (!rule.shapes.some((s) => s.length === labels.rank && s.every((d, i) => d === labels.shape[i]))) {
    throw new ModelInputError(`${rule.where}: ${rule.name} must have shape ${expected}; got [${labels.shape}].${hint}`);
  }
  if (rule.classes != null) {
    const values = labels.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== IGNORE_INDEX && (v < 0 || v >= rule.classes)) {
        throw new ModelInputError(
          `${rule.where}: ${rule.name} holds ${v} at flat index ${i}; class ids must be in [0, ${rule.classes}) ` +
            `or ${IGNORE_INDEX} (ignored). Check the label map against the config's id2label.`,
        );
      }
    }
  }
}
