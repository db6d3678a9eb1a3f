// Hugging Face's AlbertForMultipleChoice: inputs [batch, choices, seq] run through AlbertModel
// (with pooler) as [batch * choices, seq]; dropout (classifier_dropout_prob), Linear H → 1 on each
// pooled output, the scores reshaped to [batch, choices]. Loss: cross-entropy over the choices.
import {
  AlbertPreTrainedModel,
  classifierDropoutRate,
  crossEntropy,
  dropout,
  linear,
  ModelInputError,
  registerTaskModel,
  requestedOutputs,
  type TaskForwardOptions,
  type TaskModelSpec,
} from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { classifierSpecs } from './albert-for-sequence-classification.js';
import { checkLabels } from './labels.js';

export type MultipleChoiceInputs = {
  /** int32 [batch, choices, seq]: one encoded (context, question + option) pair per choice. */
  inputIds: tf.Tensor3D;
  /** [batch, choices, seq], 1 for real tokens. Default: all ones. */
  attentionMask?: tf.Tensor3D;
  /** int32 [batch, choices, seq]. Default: all zeros. */
  tokenTypeIds?: tf.Tensor3D;
  /** int32 [batch]: the index of the right choice. */
  labels?: tf.Tensor1D;
};

export type MultipleChoiceOutput = {
  loss?: tf.Scalar;
  logits: tf.Tensor2D; // [batch, choices]
  hiddenStates?: tf.Tensor3D[]; // of [batch * choices, seq, H]
  attentions?: tf.Tensor4D[]; // of [batch * choices, heads, seq, seq]
};

export class AlbertForMultipleChoice extends AlbertPreTrainedModel<
  MultipleChoiceInputs,
  MultipleChoiceOutput,
  TaskForwardOptions & { labels?: tf.Tensor1D }
> {
  static readonly spec: TaskModelSpec = {
    architecture: 'AlbertForMultipleChoice',
    pooler: true,
    headSpecs: (config) => classifierSpecs(config, 1),
  };
  static {
    registerTaskModel(AlbertForMultipleChoice);
  }

  /** Labels go in `options` or with the inputs (as HF's keyword arguments). */
  forward(
    inputs: MultipleChoiceInputs,
    options: TaskForwardOptions & { labels?: tf.Tensor1D } = {},
  ): MultipleChoiceOutput {
    const where = 'AlbertForMultipleChoice';
    const ids = inputs.inputIds;
    if (!(ids instanceof tf.Tensor) || ids.rank !== 3) {
      const shape = ids instanceof tf.Tensor ? `[${ids.shape}]` : typeof ids;
      throw new ModelInputError(
        `${where}: inputIds must be [batch, choices, seq] (one row per choice); got ${shape}. Stack the choices of each example.`,
      );
    }
    const [batch, choices, seq] = ids.shape;
    for (const name of ['attentionMask', 'tokenTypeIds'] as const) {
      const t = inputs[name];
      if (t != null && (!(t instanceof tf.Tensor) || t.shape.join() !== ids.shape.join())) {
        const shape = t instanceof tf.Tensor ? `[${t.shape}]` : typeof t;
        throw new ModelInputError(`${where}: ${name} must have the shape of inputIds [${ids.shape}]; got ${shape}.`);
      }
    }
    const labels = options.labels ?? inputs.labels;
    if (labels != null) {
      checkLabels(labels, {
        name: 'labels',
        where,
        dtype: 'int32',
        shapes: [[batch]],
        classes: choices,
        hint: "The index of the right choice per example: tf.tensor1d(ids, 'int32').",
      });
    }
    return tf.tidy(() => {
      const flat = (t: tf.Tensor3D) => tf.reshape(t, [batch * choices, seq]) as tf.Tensor2D;
      const { encoded, ctx } = this.encode(
        {
          inputIds: flat(ids),
          ...(inputs.attentionMask != null && { attentionMask: flat(inputs.attentionMask) }),
          ...(inputs.tokenTypeIds != null && { tokenTypeIds: flat(inputs.tokenTypeIds) }),
        },
        options,
      );
      const pooled = dropout(encoded.poolerOutput as tf.Tensor2D, classifierDropoutRate(this.config), ctx); // [b*c, H]
      const scores = linear(pooled, this.param('classifier.weight'), this.param('classifier.bias')); // [b*c, 1]
      const logits = tf.reshape(scores, [batch, choices]) as tf.Tensor2D; // [b, c]
      const out: MultipleChoiceOutput = { logits, ...requestedOutputs(encoded) };
      if (labels != null) out.loss = crossEntropy(logits, labels);
      return out;
    });
  }
}
