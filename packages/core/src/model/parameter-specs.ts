// The parameters of AlbertModel: one entry per Hugging Face tensor, named as HF names it without
// the 'albert.' prefix. Linear weights are listed as [in, out] (the in-memory layout; HF stores
// [out, in]). Groups and inner layers are the unit of sharing: every layer application of a group
// reads these same variables.
import type { AlbertConfig } from '../config/albert-config.js';
import type { InitKind } from '../init/init.js';

export interface ParameterSpec {
  name: string;
  shape: number[];
  init: InitKind;
  /** Embedding row kept at zero at init (the padding id of word_embeddings). */
  paddingRow?: number | null;
}

/** Prefix of one inner layer's tensors. */
export function layerPrefix(group: number, inner: number): string {
  return `encoder.albert_layer_groups.${group}.albert_layers.${inner}`;
}

export function albertParameterSpecs(config: AlbertConfig, options: { pooler?: boolean } = {}): ParameterSpec[] {
  const { vocabSize: V, embeddingSize: E, hiddenSize: H, intermediateSize: I } = config;
  const specs: ParameterSpec[] = [];
  const linear = (name: string, inDim: number, outDim: number) => {
    specs.push({ name: `${name}.weight`, shape: [inDim, outDim], init: 'normal' });
    specs.push({ name: `${name}.bias`, shape: [outDim], init: 'zeros' });
  };
  const norm = (name: string, dim: number) => {
    specs.push({ name: `${name}.weight`, shape: [dim], init: 'ones' });
    specs.push({ name: `${name}.bias`, shape: [dim], init: 'zeros' });
  };
  specs.push({
    name: 'embeddings.word_embeddings.weight',
    shape: [V, E],
    init: 'normal',
    paddingRow: config.padTokenId,
  });
  specs.push({
    name: 'embeddings.position_embeddings.weight',
    shape: [config.maxPositionEmbeddings, E],
    init: 'normal',
  });
  specs.push({ name: 'embeddings.token_type_embeddings.weight', shape: [config.typeVocabSize, E], init: 'normal' });
  norm('embeddings.LayerNorm', E);
  linear('encoder.embedding_hidden_mapping_in', E, H);
  for (let g = 0; g < config.numHiddenGroups; g++) {
    for (let j = 0; j < config.innerGroupNum; j++) {
      const p = layerPrefix(g, j);
      linear(`${p}.attention.query`, H, H);
      linear(`${p}.attention.key`, H, H);
      linear(`${p}.attention.value`, H, H);
      linear(`${p}.attention.dense`, H, H);
      norm(`${p}.attention.LayerNorm`, H);
      linear(`${p}.ffn`, H, I);
      linear(`${p}.ffn_output`, I, H);
      norm(`${p}.full_layer_layer_norm`, H);
    }
  }
  if (options.pooler ?? true) linear('pooler', H, H);
  return specs;
}
