// Hugging Face's AlbertForMaskedLM: AlbertModel without pooler + the MLM head. Loss = mean
// cross-entropy over labels ≠ -100. Output names: HF's logits → logits, loss → loss.
import { type AlbertConfig, type AlbertInputs, AlbertModel, type ModelSource } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { PretrainingError } from '../errors.js';
import { type HeadForwardOptions, maskedRows } from './albert-for-pretraining.js';
import {
  baseValues,
  type HeadsFromPretrainedOptions,
  loadHeads,
  readTaskCheckpoint,
  writeTaskCheckpoint,
} from './checkpoint.js';
import { gatherRows } from './gather-rows.js';
import { createHeadParams, mlmHeadSpecs } from './head-params.js';
import { crossEntropy } from './losses.js';
import { mlmHead } from './mlm-head.js';

export interface MaskedLMOutput {
  loss?: tf.Scalar;
  logits: tf.Tensor; // [batch, seq, vocab] ('all') or [numMasked, vocab] ('masked')
  lastHiddenState: tf.Tensor3D;
  hiddenStates?: tf.Tensor3D[];
  attentions?: tf.Tensor4D[];
}

export class AlbertForMaskedLM {
  readonly albert: AlbertModel;
  readonly head: Map<string, tf.Variable>;

  constructor(
    readonly config: AlbertConfig,
    options: { seed?: number; albert?: AlbertModel } = {},
  ) {
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.albert = options.albert ?? new AlbertModel(config, { seed, addPoolingLayer: false });
    this.head = createHeadParams(config, mlmHeadSpecs(config), seed);
  }

  get trainableVariables(): tf.Variable[] {
    return [...this.albert.params.values(), ...this.head.values()];
  }

  namedParameters(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [n, v] of this.albert.params) out.set(`albert.${n}`, v);
    for (const [n, v] of this.head) out.set(n, v);
    return out;
  }

  /** Labels go in `options` (as DESIGN.md sketches) or with the inputs (as HF's keyword arguments). */
  forward(
    inputs: AlbertInputs & { labels?: tf.Tensor2D },
    options: HeadForwardOptions & { labels?: tf.Tensor2D } = {},
  ): MaskedLMOutput {
    const config = this.config;
    const labelIds = options.labels ?? inputs.labels;
    const words = this.albert.params.get('embeddings.word_embeddings.weight') as tf.Variable;
    return tf.tidy(() => {
      const base = this.albert.forward(inputs, {
        outputHiddenStates: options.outputHiddenStates,
        outputAttentions: options.outputAttentions,
        training: options.training,
        seed: options.seed,
      });
      const h = base.lastHiddenState; // [b, s, H]
      const [batch, seq] = h.shape;
      const labels = labelIds == null ? null : (tf.reshape(labelIds, [-1]) as tf.Tensor1D);
      let logits: tf.Tensor;
      let loss: tf.Scalar | undefined;
      if (options.mlmPositions === 'masked') {
        if (labels == null)
          throw new PretrainingError("mlmPositions 'masked' needs labels to know the masked positions.");
        const rows = maskedRows(labels);
        logits = mlmHead(
          config,
          this.head,
          words,
          gatherRows(tf.reshape(h, [batch * seq, config.hiddenSize]) as tf.Tensor2D, rows),
        );
        loss = crossEntropy(logits as tf.Tensor2D, tf.gather(labels, rows) as tf.Tensor1D);
      } else {
        logits = mlmHead(config, this.head, words, h); // [b, s, V]
        if (labels != null)
          loss = crossEntropy(tf.reshape(logits, [batch * seq, config.vocabSize]) as tf.Tensor2D, labels);
      }
      const out: MaskedLMOutput = { logits, lastHiddenState: h };
      if (loss != null) out.loss = loss;
      if (base.hiddenStates) out.hiddenStates = base.hiddenStates;
      if (base.attentions) out.attentions = base.attentions;
      return out as unknown as tf.TensorContainer;
    }) as unknown as MaskedLMOutput;
  }

  static async fromPretrained(
    source: string | ModelSource,
    options: HeadsFromPretrainedOptions = {},
  ): Promise<AlbertForMaskedLM> {
    const ckpt = await readTaskCheckpoint(source, options);
    const { initialValues, missing } = baseValues(ckpt, false);
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    const albert = new AlbertModel(ckpt.config, { initialValues, seed, addPoolingLayer: false });
    const model = new AlbertForMaskedLM(ckpt.config, { albert, seed });
    loadHeads(model.head, ckpt, missing, 'AlbertForMaskedLM', options.warn ?? ((m) => console.warn(m)));
    return model;
  }

  async savePretrained(folder: string): Promise<void> {
    await writeTaskCheckpoint(folder, 'AlbertForMaskedLM', this.albert, this.head);
  }

  dispose(): void {
    this.albert.dispose();
    for (const v of this.head.values()) v.dispose();
    this.head.clear();
  }
}
