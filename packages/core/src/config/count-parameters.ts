// Unique parameter count of AlbertModel, from the config alone (shared layers counted once).
import type { AlbertConfig } from './albert-config.js';

/** 11,683,584 for albert-base (with pooler), the count Hugging Face reports. */
export function countParameters(config: AlbertConfig, options: { pooler?: boolean } = {}): number {
  const { vocabSize: V, embeddingSize: E, hiddenSize: H, intermediateSize: I } = config;
  const embeddings = (V + config.maxPositionEmbeddings + config.typeVocabSize) * E + 2 * E; // tables + LayerNorm
  const mappingIn = E * H + H;
  const attention = 4 * (H * H + H) + 2 * H; // query, key, value, dense + LayerNorm
  const ffn = H * I + I + I * H + H + 2 * H; // ffn, ffn_output + full_layer_layer_norm
  const layers = config.numHiddenGroups * config.innerGroupNum * (attention + ffn);
  const pooler = (options.pooler ?? true) ? H * H + H : 0;
  return embeddings + mappingIn + layers + pooler;
}
