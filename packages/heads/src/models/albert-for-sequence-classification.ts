// Hugging Face's AlbertForSequenceClassification: AlbertModel (with pooler), dropout
// (classifier_dropout_prob), Linear H → num_labels on the pooled [CLS] output.
// The loss follows config.problem_type, or, when it is null, HF's rule: num_labels == 1 →
// 'regression' (MSE on the squeezed logits); int32 labels → 'single_label_classification'
// (cross-entropy, -100 ignored); float32 labels → 'multi_label_classification' (BCE with logits).
// HF writes the inferred problem_type back into the config; we leave the config unchanged.
import {
  type AlbertConfig,
  type AlbertInputs,
  AlbertPreTrainedModel,
  bceWithLogits,
  classifierDropoutRate,
  crossEntropy,
  dropout,
  linear,
  mseLoss,
  type ParameterSpec,
  registerTaskModel,
  requestedOutputs,
  type TaskForwardOptions,
  type TaskModelSpec,
} from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkLabels } from './labels.js';

export type SequenceClassificationLabels = {
  /**
   * single-label: int32 [batch] class ids (-100 ignored); regression: float32 [batch] (num_labels 1)
   * or [batch, num_labels]; multi-label: float32 [batch, num_labels] targets in [0, 1].
   */
  labels?: tf.Tensor1D | tf.Tensor2D;
};

export type SequenceClassifierOutput = {
  loss?: tf.Scalar;
  logits: tf.Tensor2D; // [batch, numLabels]
  hiddenStates?: tf.Tensor3D[];
  attentions?: tf.Tensor4D[];
};

export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

/** The classifier: Linear H → num_labels (HF names classifier.weight / classifier.bias). */
export function classifierSpecs(config: AlbertConfig, outputs: number): ParameterSpec[] {
  return [
    { name: 'classifier.weight', shape: [config.hiddenSize, outputs], init: 'normal' },
    { name: 'classifier.bias', shape: [outputs], init: 'zeros' },
  ];
}

export class AlbertForSequenceClassification extends AlbertPreTrainedModel<
  AlbertInputs & SequenceClassificationLabels,
  SequenceClassifierOutput,
  TaskForwardOptions & SequenceClassificationLabels
> {
  static readonly spec: TaskModelSpec = {
    architecture: 'AlbertForSequenceClassification',
    pooler: true,
    headSpecs: (config) => classifierSpecs(config, config.numLabels),
  };
  static {
    registerTaskModel(AlbertForSequenceClassification);
  }

  get numLabels(): number {
    return this.config.numLabels;
  }

  /** The loss these labels get: config.problem_type, else HF's rule (see the file comment). */
  problemType(labels: tf.Tensor): ProblemType {
    const configured = this.config.problemType;
    if (configured != null) return configured as ProblemType;
    if (this.numLabels === 1) return 'regression';
    return labels.dtype === 'int32' ? 'single_label_classification' : 'multi_label_classification';
  }

  /** Labels go in `options` or with the inputs (as HF's keyword arguments). */
  forward(
    inputs: AlbertInputs & SequenceClassificationLabels,
    options: TaskForwardOptions & SequenceClassificationLabels = {},
  ): SequenceClassifierOutput {
    const labels = options.labels ?? inputs.labels;
    const problem = labels == null ? null : this.checkLabels(labels, inputs.inputIds.shape[0]);
    return tf.tidy(() => {
      const { encoded, ctx } = this.encode(inputs, options);
      const pooled = dropout(encoded.poolerOutput as tf.Tensor2D, classifierDropoutRate(this.config), ctx); // [b, H]
      const logits = linear(pooled, this.param('classifier.weight'), this.param('classifier.bias')); // [b, L]
      const out: SequenceClassifierOutput = { logits, ...requestedOutputs(encoded) };
      if (labels != null && problem != null) out.loss = this.loss(logits, labels, problem);
      return out;
    });
  }

  private loss(logits: tf.Tensor2D, labels: tf.Tensor, problem: ProblemType): tf.Scalar {
    const batch = logits.shape[0];
    if (problem === 'single_label_classification') return crossEntropy(logits, tf.reshape(labels, [batch]));
    if (problem === 'multi_label_classification') return bceWithLogits(logits, labels);
    // regression: HF squeezes both sides when there is one label
    if (this.numLabels === 1) return mseLoss(tf.reshape(logits, [batch]), tf.reshape(labels, [batch]));
    return mseLoss(logits, labels);
  }

  private checkLabels(labels: tf.Tensor, batch: number): ProblemType {
    const problem = this.problemType(labels);
    const where = `AlbertForSequenceClassification (${problem}, num_labels ${this.numLabels})`;
    const L = this.numLabels;
    if (problem === 'single_label_classification') {
      checkLabels(labels, {
        name: 'labels',
        where,
        dtype: 'int32',
        shapes: [[batch], [batch, 1]],
        classes: L,
        hint: "Class ids are int32: tf.tensor1d(ids, 'int32').",
      });
    } else if (problem === 'multi_label_classification') {
      checkLabels(labels, {
        name: 'labels',
        where,
        dtype: 'float32',
        shapes: [[batch, L]],
        hint: 'Multi-label targets are float32 0/1 (or probabilities) per label; for one class id per row use int32 labels.',
      });
    } else {
      checkLabels(labels, {
        name: 'labels',
        where,
        dtype: 'float32',
        shapes: L === 1 ? [[batch], [batch, 1]] : [[batch, L]],
        hint: 'Regression targets are float32 values.',
      });
    }
    return problem;
  }
}
