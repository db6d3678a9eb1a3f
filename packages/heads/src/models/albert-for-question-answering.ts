// Hugging Face's AlbertForQuestionAnswering: AlbertModel without pooler, Linear H → 2 on every
// position (qa_outputs; no dropout), split into start and end logits. Loss, exactly as HF: start
// and end positions clamped to [0, seq], position seq ignored (so positions past the window drop
// out of the loss and negative ones become 0, the [CLS] token), loss = (start CE + end CE) / 2.
import {
  type AlbertInputs,
  AlbertPreTrainedModel,
  ConfigError,
  crossEntropy,
  linear,
  registerTaskModel,
  requestedOutputs,
  type TaskForwardOptions,
  type TaskModelSpec,
} from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkLabels } from './labels.js';

export type QuestionAnsweringLabels = {
  /** int32 [batch]: token index of the answer's first token ([CLS] = 0 when it is not in the window). */
  startPositions?: tf.Tensor1D;
  /** int32 [batch]: token index of the answer's last token. */
  endPositions?: tf.Tensor1D;
};

export type QuestionAnsweringOutput = {
  loss?: tf.Scalar;
  startLogits: tf.Tensor2D; // [batch, seq]
  endLogits: tf.Tensor2D; // [batch, seq]
  hiddenStates?: tf.Tensor3D[];
  attentions?: tf.Tensor4D[];
};

export class AlbertForQuestionAnswering extends AlbertPreTrainedModel<
  AlbertInputs & QuestionAnsweringLabels,
  QuestionAnsweringOutput,
  TaskForwardOptions & QuestionAnsweringLabels
> {
  static readonly spec: TaskModelSpec = {
    architecture: 'AlbertForQuestionAnswering',
    pooler: false,
    headSpecs: (config) => {
      if (config.numLabels !== 2) {
        throw new ConfigError(
          `AlbertForQuestionAnswering scores a start and an end per token, so num_labels must be 2; this config has ` +
            `${config.numLabels} (id2label). Load with { config: { id2label: null, label2id: null } } for a new QA head.`,
        );
      }
      return [
        { name: 'qa_outputs.weight', shape: [config.hiddenSize, 2], init: 'normal' },
        { name: 'qa_outputs.bias', shape: [2], init: 'zeros' },
      ];
    },
  };
  static {
    registerTaskModel(AlbertForQuestionAnswering);
  }

  /** Positions go in `options` or with the inputs (as HF's keyword arguments); the loss needs both. */
  forward(
    inputs: AlbertInputs & QuestionAnsweringLabels,
    options: TaskForwardOptions & QuestionAnsweringLabels = {},
  ): QuestionAnsweringOutput {
    const startPositions = options.startPositions ?? inputs.startPositions;
    const endPositions = options.endPositions ?? inputs.endPositions;
    const [batch, seq] = inputs.inputIds.shape;
    const where = 'AlbertForQuestionAnswering';
    for (const [name, positions] of [
      ['startPositions', startPositions],
      ['endPositions', endPositions],
    ] as const) {
      if (positions == null) continue;
      checkLabels(positions, {
        name,
        where,
        dtype: 'int32',
        shapes: [[batch], [batch, 1]],
        hint: 'One int32 token index per row (HF clamps it to [0, seq] and ignores seq).',
      });
    }
    return tf.tidy(() => {
      const { encoded } = this.encode(inputs, options);
      const logits = linear(encoded.lastHiddenState, this.param('qa_outputs.weight'), this.param('qa_outputs.bias')); // [b, s, 2]
      const [start, end] = tf.unstack(logits, 2) as [tf.Tensor2D, tf.Tensor2D]; // [b, s] each
      const out: QuestionAnsweringOutput = { startLogits: start, endLogits: end, ...requestedOutputs(encoded) };
      if (startPositions != null && endPositions != null) {
        const target = (p: tf.Tensor) => tf.clipByValue(tf.reshape(p, [batch]), 0, seq) as tf.Tensor1D; // [b]
        const startLoss = crossEntropy(start, target(startPositions), { ignoreIndex: seq });
        const endLoss = crossEntropy(end, target(endPositions), { ignoreIndex: seq });
        out.loss = tf.div(tf.add(startLoss, endLoss), 2) as tf.Scalar;
      }
      return out;
    });
  }
}
