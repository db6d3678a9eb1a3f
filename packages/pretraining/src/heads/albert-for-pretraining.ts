// Hugging Face's AlbertForPreTraining: AlbertModel (with pooler) + the MLM head on every position
// + the SOP head on the pooled output. Loss = mean MLM cross-entropy over labels ≠ -100 + mean SOP
// cross-entropy, when both label sets are given (as HF).
//
// Output names: HF's prediction_logits → predictionLogits, sop_logits → sopLogits, loss → loss,
// hidden_states → hiddenStates, attentions → attentions; we add mlmLoss and sopLoss (HF computes
// them but only returns their sum).
import {
  type AlbertConfig,
  type AlbertInputs,
  AlbertPreTrainedModel,
  classifierDropoutRate,
  crossEntropy,
  dropout,
  gatherLabelledRows,
  linear,
  type ParameterSpec,
  registerTaskModel,
  requestedOutputs,
  type TaskForwardOptions,
  type TaskModelSpec,
} from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { PretrainingError } from '../errors.js';
import { MLM_TIED_KEYS, mlmHead, mlmHeadSpecs } from './mlm-head.js';

export type PreTrainingLabels = {
  /** int32 [batch, seq]: original ids at masked positions, -100 elsewhere. */
  labels?: tf.Tensor2D;
  /** int32 [batch]: 0 in order, 1 swapped. */
  sentenceOrderLabel?: tf.Tensor1D;
};

export type HeadForwardOptions = TaskForwardOptions & {
  /**
   * 'all' (default, as HF): MLM logits for every position, [batch, seq, vocab]. 'masked': only for
   * the positions with a label (as the original TF run_pretraining.py), [numMasked, vocab] in
   * row-major order — same loss and gradients, a fraction of the memory for real vocabularies.
   */
  mlmPositions?: 'all' | 'masked';
};

export type PreTrainingOutput = {
  loss?: tf.Scalar;
  mlmLoss?: tf.Scalar;
  sopLoss?: tf.Scalar;
  predictionLogits: tf.Tensor; // [batch, seq, vocab] ('all') or [numMasked, vocab] ('masked')
  sopLogits: tf.Tensor2D; // [batch, 2]
  lastHiddenState: tf.Tensor3D;
  poolerOutput: tf.Tensor2D;
  hiddenStates?: tf.Tensor3D[];
  attentions?: tf.Tensor4D[];
};

/** AlbertSOPHead: dropout(classifier_dropout_prob), then Linear H → num_labels (2) on the pooled output. */
function sopHeadSpecs(config: AlbertConfig): ParameterSpec[] {
  const labels = config.numLabels;
  return [
    { name: 'sop_classifier.classifier.weight', shape: [config.hiddenSize, labels], init: 'normal' },
    { name: 'sop_classifier.classifier.bias', shape: [labels], init: 'zeros' },
  ];
}

export class AlbertForPreTraining extends AlbertPreTrainedModel<
  AlbertInputs & PreTrainingLabels,
  PreTrainingOutput,
  HeadForwardOptions & PreTrainingLabels
> {
  static readonly spec: TaskModelSpec = {
    architecture: 'AlbertForPreTraining',
    pooler: true,
    headSpecs: (config) => [...mlmHeadSpecs(config), ...sopHeadSpecs(config)],
    tiedKeys: MLM_TIED_KEYS,
  };
  static {
    registerTaskModel(AlbertForPreTraining);
  }

  /** Labels go in `options` (as DESIGN.md sketches) or with the inputs (as HF's keyword arguments). */
  forward(
    inputs: AlbertInputs & PreTrainingLabels,
    options: HeadForwardOptions & PreTrainingLabels = {},
  ): PreTrainingOutput {
    const config = this.config;
    const labelIds = options.labels ?? inputs.labels;
    const sentenceOrderLabel = options.sentenceOrderLabel ?? inputs.sentenceOrderLabel;
    const words = this.albert.params.get('embeddings.word_embeddings.weight') as tf.Variable;
    if (options.mlmPositions === 'masked' && labelIds == null) {
      throw new PretrainingError("mlmPositions 'masked' needs labels to know the masked positions.");
    }
    return tf.tidy(() => {
      const { encoded, ctx } = this.encode(inputs, options);
      const h = encoded.lastHiddenState; // [b, s, H]
      const pooled = encoded.poolerOutput as tf.Tensor2D; // [b, H]
      const [batch, seq] = h.shape;

      const labels = labelIds == null ? null : (tf.reshape(labelIds, [-1]) as tf.Tensor1D); // [b*s]
      let predictionLogits: tf.Tensor;
      let mlmLoss: tf.Scalar | undefined;
      if (options.mlmPositions === 'masked' && labels != null) {
        const flat = tf.reshape(h, [batch * seq, config.hiddenSize]) as tf.Tensor2D; // [b*s, H]
        const masked = gatherLabelledRows(flat, labels); // [M, H], [M]
        predictionLogits = mlmHead(config, this.head, words, masked.rows); // [M, V]
        mlmLoss = crossEntropy(predictionLogits as tf.Tensor2D, masked.labels);
      } else {
        predictionLogits = mlmHead(config, this.head, words, h); // [b, s, V]
        if (labels != null) {
          mlmLoss = crossEntropy(tf.reshape(predictionLogits, [batch * seq, config.vocabSize]) as tf.Tensor2D, labels);
        }
      }

      const sopIn = dropout(pooled, classifierDropoutRate(config), ctx);
      const sopLogits = linear(
        sopIn,
        this.param('sop_classifier.classifier.weight'),
        this.param('sop_classifier.classifier.bias'),
      ); // [b, 2]
      const sopLoss = sentenceOrderLabel == null ? undefined : crossEntropy(sopLogits, sentenceOrderLabel);

      const out: PreTrainingOutput = {
        predictionLogits,
        sopLogits,
        lastHiddenState: h,
        poolerOutput: pooled,
        ...requestedOutputs(encoded),
      };
      if (mlmLoss != null) out.mlmLoss = mlmLoss;
      if (sopLoss != null) out.sopLoss = sopLoss;
      if (mlmLoss != null && sopLoss != null) out.loss = tf.add(mlmLoss, sopLoss) as tf.Scalar;
      return out;
    });
  }
}
