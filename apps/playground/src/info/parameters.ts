// Where a loaded model's parameters live, counted from its own variables (Hugging Face names):
// the embeddings, the E→H projection, each shared group, the pooler, the task head. Also what the
// same network would hold if every layer application had its own weights (ALBERT's saving).
import { AlbertModel, type AnyTaskModel } from 'albert-ts';
import type { SharingConfig } from './sharing.js';
import { layerApplications } from './sharing.js';

export interface ParameterCounts {
  /** Unique parameters (shared layers and tied weights counted once), as HF's num_parameters(). */
  total: number;
  embeddings: number;
  /** embedding_hidden_mapping_in: the E → H projection of the factorized embedding. */
  projection: number;
  /** Per group: all its inner layers. */
  groups: number[];
  pooler: number;
  /** Everything outside `albert.` (MLM/SOP heads, classifier, qa_outputs). */
  head: number;
  /** The same network with separate weights for every layer application. */
  unshared: number;
}

export function namedParametersOf(model: AlbertModel | AnyTaskModel): Map<string, { size: number }> {
  if (model instanceof AlbertModel) {
    const out = new Map<string, { size: number }>();
    for (const [name, v] of model.params) out.set(`albert.${name}`, v);
    return out;
  }
  return model.namedParameters();
}

export function countByPart(named: Map<string, { size: number }>, config: SharingConfig): ParameterCounts {
  const counts: ParameterCounts = {
    total: 0,
    embeddings: 0,
    projection: 0,
    groups: Array.from({ length: config.numHiddenGroups }, () => 0),
    pooler: 0,
    head: 0,
    unshared: 0,
  };
  const perInner = new Map<string, number>(); // "g.j" → parameters of that inner layer
  for (const [name, { size }] of named) {
    counts.total += size;
    const layer = /^albert\.encoder\.albert_layer_groups\.(\d+)\.albert_layers\.(\d+)\./.exec(name);
    if (layer != null) {
      const g = Number(layer[1]);
      counts.groups[g] = (counts.groups[g] ?? 0) + size;
      const key = `${g}.${layer[2]}`;
      perInner.set(key, (perInner.get(key) ?? 0) + size);
    } else if (name.startsWith('albert.embeddings.')) counts.embeddings += size;
    else if (name.startsWith('albert.encoder.embedding_hidden_mapping_in.')) counts.projection += size;
    else if (name.startsWith('albert.pooler.')) counts.pooler += size;
    else counts.head += size;
  }
  const layers = layerApplications(config).reduce((s, a) => s + (perInner.get(`${a.group}.${a.inner}`) ?? 0), 0);
  counts.unshared = counts.embeddings + counts.projection + layers + counts.pooler + counts.head;
  return counts;
}
