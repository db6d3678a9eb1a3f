// Hugging Face's AlbertForPreTraining: AlbertModel (with pooler) + the MLM head on every position
// + the SOP head on the pooled output. Loss = mean MLM cross-entropy over labels ≠ -100 + mean SOP
// cross-entropy, when both label sets are given (as HF).
//
// Output names: HF's prediction_logits → predictionLogits, sop_logits → sopLogits, loss → loss,
// hidden_states → hiddenStates, attentions → attentions; we add mlmLoss and sopLoss (HF computes
// them but only returns their sum).
import { type AlbertConfig, type AlbertInputs, AlbertModel, dropout, linear, type ModelSource } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { PretrainingError } from '../errors.js';
import {
  baseValues,
  type HeadsFromPretrainedOptions,
  loadHeads,
  readTaskCheckpoint,
  writeTaskCheckpoint,
} from './checkpoint.js';
import { gatherRows } from './gather-rows.js';
import { createHeadParams, mlmHeadSpecs, sopHeadSpecs } from './head-params.js';
import { crossEntropy } from './losses.js';
import { mlmHead } from './mlm-head.js';

export interface PreTrainingLabels {
  /** int32 [batch, seq]: original ids at masked positions, -100 elsewhere. */
  labels?: tf.Tensor2D;
  /** int32 [batch]: 0 in order, 1 swapped. */
  sentenceOrderLabel?: tf.Tensor1D;
}

export interface HeadForwardOptions {
  outputHiddenStates?: boolean;
  outputAttentions?: boolean;
  /** Training mode: dropout on (default false). */
  training?: boolean;
  /** Seed of the dropout masks. */
  seed?: number;
  /**
   * 'all' (default, as HF): MLM logits for every position, [batch, seq, vocab]. 'masked': only for
   * the positions with a label (as the original TF run_pretraining.py), [numMasked, vocab] in
   * row-major order — same loss and gradients, a fraction of the memory for real vocabularies.
   */
  mlmPositions?: 'all' | 'masked';
}

export interface PreTrainingOutput {
  loss?: tf.Scalar;
  mlmLoss?: tf.Scalar;
  sopLoss?: tf.Scalar;
  predictionLogits: tf.Tensor; // [batch, seq, vocab] ('all') or [numMasked, vocab] ('masked')
  sopLogits: tf.Tensor2D; // [batch, 2]
  lastHiddenState: tf.Tensor3D;
  poolerOutput: tf.Tensor2D;
  hiddenStates?: tf.Tensor3D[];
  attentions?: tf.Tensor4D[];
}

export class AlbertForPreTraining {
  readonly albert: AlbertModel;
  /** Head variables by HF name (predictions.*, sop_classifier.*); Linear weights [in, out]. */
  readonly head: Map<string, tf.Variable>;

  constructor(
    readonly config: AlbertConfig,
    options: { seed?: number; albert?: AlbertModel } = {},
  ) {
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.albert = options.albert ?? new AlbertModel(config, { seed, addPoolingLayer: true });
    if (!this.albert.addPoolingLayer) {
      throw new PretrainingError('AlbertForPreTraining needs an AlbertModel with its pooler (addPoolingLayer: true).');
    }
    this.head = createHeadParams(config, [...mlmHeadSpecs(config), ...sopHeadSpecs(config)], seed);
  }

  /** Every trainable variable: the base model's, then the heads' (the decoder is tied, not separate). */
  get trainableVariables(): tf.Variable[] {
    return [...this.albert.params.values(), ...this.head.values()];
  }

  /** Parameters by full HF name ('albert.…', 'predictions.…', 'sop_classifier.…'). */
  namedParameters(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [n, v] of this.albert.params) out.set(`albert.${n}`, v);
    for (const [n, v] of this.head) out.set(n, v);
    return out;
  }

  /** Labels go in `options` (as DESIGN.md sketches) or with the inputs (as HF's keyword arguments). */
  forward(
    inputs: AlbertInputs & PreTrainingLabels,
    options: HeadForwardOptions & PreTrainingLabels = {},
  ): PreTrainingOutput {
    const config = this.config;
    const labelIds = options.labels ?? inputs.labels;
    const sentenceOrderLabel = options.sentenceOrderLabel ?? inputs.sentenceOrderLabel;
    const p = (name: string) => this.head.get(name) as tf.Variable;
    const words = this.albert.params.get('embeddings.word_embeddings.weight') as tf.Variable;
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    let dropoutSeed = seed ^ 0x5bd1e995;
    return tf.tidy(() => {
      const base = this.albert.forward(inputs, {
        outputHiddenStates: options.outputHiddenStates,
        outputAttentions: options.outputAttentions,
        training: options.training,
        seed,
      });
      const h = base.lastHiddenState; // [b, s, H]
      const pooled = base.poolerOutput as tf.Tensor2D; // [b, H]
      const [batch, seq] = h.shape;

      const labels = labelIds == null ? null : (tf.reshape(labelIds, [-1]) as tf.Tensor1D); // [b*s]
      let predictionLogits: tf.Tensor;
      let mlmLoss: tf.Scalar | undefined;
      if (options.mlmPositions === 'masked') {
        if (labels == null)
          throw new PretrainingError("mlmPositions 'masked' needs labels to know the masked positions.");
        const rows = maskedRows(labels); // [M]
        const hMasked = gatherRows(tf.reshape(h, [batch * seq, config.hiddenSize]) as tf.Tensor2D, rows); // [M, H]
        predictionLogits = mlmHead(config, this.head, words, hMasked); // [M, V]
        mlmLoss = crossEntropy(predictionLogits as tf.Tensor2D, tf.gather(labels, rows) as tf.Tensor1D);
      } else {
        predictionLogits = mlmHead(config, this.head, words, h); // [b, s, V]
        if (labels != null) {
          mlmLoss = crossEntropy(tf.reshape(predictionLogits, [batch * seq, config.vocabSize]) as tf.Tensor2D, labels);
        }
      }

      const ctx = { training: options.training ?? false, nextSeed: () => dropoutSeed++ };
      const sopIn = dropout(pooled, config.classifierDropoutProb ?? 0, ctx);
      const sopLogits = linear(sopIn, p('sop_classifier.classifier.weight'), p('sop_classifier.classifier.bias')); // [b, 2]
      const sopLoss = sentenceOrderLabel == null ? undefined : crossEntropy(sopLogits, sentenceOrderLabel);

      const out: PreTrainingOutput = {
        predictionLogits,
        sopLogits,
        lastHiddenState: h,
        poolerOutput: pooled,
      };
      if (mlmLoss != null) out.mlmLoss = mlmLoss;
      if (sopLoss != null) out.sopLoss = sopLoss;
      if (mlmLoss != null && sopLoss != null) out.loss = tf.add(mlmLoss, sopLoss) as tf.Scalar;
      if (base.hiddenStates) out.hiddenStates = base.hiddenStates;
      if (base.attentions) out.attentions = base.attentions;
      return out as unknown as tf.TensorContainer;
    }) as unknown as PreTrainingOutput;
  }

  /** Loads a Hugging Face AlbertForPreTraining folder (config.json + model.safetensors). */
  static async fromPretrained(
    source: string | ModelSource,
    options: HeadsFromPretrainedOptions = {},
  ): Promise<AlbertForPreTraining> {
    const ckpt = await readTaskCheckpoint(source, options);
    const { initialValues, missing } = baseValues(ckpt, true);
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    const albert = new AlbertModel(ckpt.config, { initialValues, seed, addPoolingLayer: true });
    const model = new AlbertForPreTraining(ckpt.config, { albert, seed });
    loadHeads(model.head, ckpt, missing, 'AlbertForPreTraining', options.warn ?? ((m) => console.warn(m)));
    return model;
  }

  /** Writes a folder Hugging Face's AlbertForPreTraining.from_pretrained loads. */
  async savePretrained(folder: string): Promise<void> {
    await writeTaskCheckpoint(folder, 'AlbertForPreTraining', this.albert, this.head);
  }

  dispose(): void {
    this.albert.dispose();
    for (const v of this.head.values()) v.dispose();
    this.head.clear();
  }
}

/** Row indices (int32 [M]) where labels ≠ -100. Reads the labels (small) synchronously. */
export function maskedRows(labels: tf.Tensor1D): tf.Tensor1D {
  const values = labels.dataSync();
  const rows: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== -100) rows.push(i);
  return tf.tensor1d(rows, 'int32');
}
