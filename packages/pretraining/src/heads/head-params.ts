// The variables of the pretraining heads, keyed by their Hugging Face names (in memory, Linear
// weights are [in, out] as everywhere in albert-ts), initialised as HF's _init_weights:
// Linear weights ~ normal(0, initializer_range), biases 0, LayerNorm 1 / 0.
import { type AlbertConfig, type InitKind, initVariable } from '@albert-ts/core';
import type * as tf from '@tensorflow/tfjs-core';

export interface HeadParamSpec {
  name: string;
  shape: number[];
  init: InitKind;
}

/** AlbertMLMHead: dense H→E, LayerNorm(E), decoder tied to the word embeddings + its own bias. */
export function mlmHeadSpecs(config: AlbertConfig): HeadParamSpec[] {
  const { hiddenSize: H, embeddingSize: E, vocabSize: V } = config;
  return [
    { name: 'predictions.dense.weight', shape: [H, E], init: 'normal' },
    { name: 'predictions.dense.bias', shape: [E], init: 'zeros' },
    { name: 'predictions.LayerNorm.weight', shape: [E], init: 'ones' },
    { name: 'predictions.LayerNorm.bias', shape: [E], init: 'zeros' },
    { name: 'predictions.bias', shape: [V], init: 'zeros' },
  ];
}

/** The number of SOP classes: config.num_labels (HF's AlbertSOPHead), 2 by default. */
export function sopLabels(config: AlbertConfig): number {
  return config.id2label == null ? 2 : Object.keys(config.id2label).length;
}

/** AlbertSOPHead: dropout(classifier_dropout_prob), then Linear H → num_labels on the pooled output. */
export function sopHeadSpecs(config: AlbertConfig): HeadParamSpec[] {
  return [
    { name: 'sop_classifier.classifier.weight', shape: [config.hiddenSize, sopLabels(config)], init: 'normal' },
    { name: 'sop_classifier.classifier.bias', shape: [sopLabels(config)], init: 'zeros' },
  ];
}

let headCount = 0;

export function createHeadParams(config: AlbertConfig, specs: HeadParamSpec[], seed: number): Map<string, tf.Variable> {
  const id = headCount++;
  const params = new Map<string, tf.Variable>();
  for (const spec of specs) {
    const variableName = `albert_heads_${id}/${spec.name}`;
    params.set(
      spec.name,
      initVariable(spec.name, spec.shape, spec.init, { std: config.initializerRange, seed, variableName }),
    );
  }
  return params;
}
