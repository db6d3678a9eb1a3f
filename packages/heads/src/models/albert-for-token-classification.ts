// Hugging Face's AlbertForTokenClassification: AlbertModel without pooler, dropout
// (classifier_dropout_prob, or hidden_dropout_prob when it is null, as HF), Linear H → num_labels
// on every position. Loss: cross-entropy over every position whose label is not -100 (HF does not
// consult the attention mask: label padding and specials -100).
import {
  type AlbertInputs,
  AlbertPreTrainedModel,
  classifierDropoutRate,
  crossEntropy,
  dropout,
  linear,
  registerTaskModel,
  requestedOutputs,
  type TaskForwardOptions,
  type TaskModelSpec,
} from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { classifierSpecs } from './albert-for-sequence-classification.js';
import { checkLabels } from './labels.js';

export type TokenClassificationLabels = {
  /** int32 [batch, seq]: a class id per position, -100 where no loss is wanted (specials, padding, later word pieces). */
  labels?: tf.Tensor2D;
};

export type TokenClassifierOutput = {
  loss?: tf.Scalar;
  logits: tf.Tensor3D; // [batch, seq, numLabels]
  hiddenStates?: tf.Tensor3D[];
  attentions?: tf.Tensor4D[];
};

export class AlbertForTokenClassification extends AlbertPreTrainedModel<
  AlbertInputs & TokenClassificationLabels,
  TokenClassifierOutput,
  TaskForwardOptions & TokenClassificationLabels
> {
  static readonly spec: TaskModelSpec = {
    architecture: 'AlbertForTokenClassification',
    pooler: false,
    headSpecs: (config) => classifierSpecs(config, config.numLabels),
  };
  static {
    registerTaskModel(AlbertForTokenClassification);
  }

  get numLabels(): number {
    return this.config.numLabels;
  }

  /** Labels go in `options` or with the inputs (as HF's keyword arguments). */
  forward(
    inputs: AlbertInputs & TokenClassificationLabels,
    options: TaskForwardOptions & TokenClassificationLabels = {},
  ): TokenClassifierOutput {
    const labels = options.labels ?? inputs.labels;
    const L = this.numLabels;
    if (labels != null) {
      checkLabels(labels, {
        name: 'labels',
        where: `AlbertForTokenClassification (num_labels ${L})`,
        dtype: 'int32',
        shapes: [inputs.inputIds.shape],
        classes: L,
        hint: 'One int32 class id per position of inputIds, -100 where no loss is wanted.',
      });
    }
    return tf.tidy(() => {
      const { encoded, ctx } = this.encode(inputs, options);
      const h = dropout(encoded.lastHiddenState, classifierDropoutRate(this.config), ctx); // [b, s, H]
      const logits = linear(h, this.param('classifier.weight'), this.param('classifier.bias')); // [b, s, L]
      const out: TokenClassifierOutput = { logits, ...requestedOutputs(encoded) };
      if (labels != null) out.loss = crossEntropy(tf.reshape(logits, [-1, L]), tf.reshape(labels, [-1]));
      return out;
    });
  }
}
