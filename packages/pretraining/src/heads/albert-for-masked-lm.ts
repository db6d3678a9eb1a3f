// Hugging Face's AlbertForMaskedLM: AlbertModel without pooler + the MLM head. Loss = mean
// cross-entropy over labels ≠ -100. Output names: HF's logits → logits, loss → loss.
import {
  type AlbertInputs,
  AlbertPreTrainedModel,
  crossEntropy,
  gatherLabelledRows,
  registerTaskModel,
  requestedOutputs,
  type TaskModelSpec,
} from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { PretrainingError } from '../errors.js';
import type { HeadForwardOptions } from './albert-for-pretraining.js';
import { MLM_TIED_KEYS, mlmHead, mlmHeadSpecs } from './mlm-head.js';

export type MaskedLMLabels = {
  /** int32 [batch, seq]: original ids at masked positions, -100 elsewhere. */
  labels?: tf.Tensor2D;
};

export type MaskedLMOutput = {
  loss?: tf.Scalar;
  logits: tf.Tensor; // [batch, seq, vocab] ('all') or [numMasked, vocab] ('masked')
  lastHiddenState: tf.Tensor3D;
  hiddenStates?: tf.Tensor3D[];
  attentions?: tf.Tensor4D[];
};

export class AlbertForMaskedLM extends AlbertPreTrainedModel<
  AlbertInputs & MaskedLMLabels,
  MaskedLMOutput,
  HeadForwardOptions & MaskedLMLabels
> {
  static readonly spec: TaskModelSpec = {
    architecture: 'AlbertForMaskedLM',
    pooler: false,
    headSpecs: mlmHeadSpecs,
    tiedKeys: MLM_TIED_KEYS,
  };
  static {
    registerTaskModel(AlbertForMaskedLM);
  }

  /** Labels go in `options` (as DESIGN.md sketches) or with the inputs (as HF's keyword arguments). */
  forward(inputs: AlbertInputs & MaskedLMLabels, options: HeadForwardOptions & MaskedLMLabels = {}): MaskedLMOutput {
    const config = this.config;
    const labelIds = options.labels ?? inputs.labels;
    const words = this.albert.params.get('embeddings.word_embeddings.weight') as tf.Variable;
    if (options.mlmPositions === 'masked' && labelIds == null) {
      throw new PretrainingError("mlmPositions 'masked' needs labels to know the masked positions.");
    }
    return tf.tidy(() => {
      const { encoded } = this.encode(inputs, options);
      const h = encoded.lastHiddenState; // [b, s, H]
      const [batch, seq] = h.shape;
      const labels = labelIds == null ? null : (tf.reshape(labelIds, [-1]) as tf.Tensor1D); // [b*s]
      let logits: tf.Tensor;
      let loss: tf.Scalar | undefined;
      if (options.mlmPositions === 'masked' && labels != null) {
        const flat = tf.reshape(h, [batch * seq, config.hiddenSize]) as tf.Tensor2D; // [b*s, H]
        const masked = gatherLabelledRows(flat, labels); // [M, H], [M]
        logits = mlmHead(config, this.head, words, masked.rows); // [M, V]
        loss = crossEntropy(logits as tf.Tensor2D, masked.labels);
      } else {
        logits = mlmHead(config, this.head, words, h); // [b, s, V]
        if (labels != null)
          loss = crossEntropy(tf.reshape(logits, [batch * seq, config.vocabSize]) as tf.Tensor2D, labels);
      }
      const out: MaskedLMOutput = { logits, lastHiddenState: h, ...requestedOutputs(encoded) };
      if (loss != null) out.loss = loss;
      return out;
    });
  }
}
