// ALBERT's cross-layer parameter sharing as data: which layer applications run which group's
// weights. Layer i of num_hidden_layers uses group floor(i / (num_hidden_layers / num_hidden_groups));
// each group holds inner_group_num layers, run one after the other. No Node imports (the page uses it).

export interface SharingConfig {
  numHiddenLayers: number;
  numHiddenGroups: number;
  innerGroupNum: number;
}

/** One run of one layer's weights: the k-th attention map the encoder returns. */
export interface LayerApplication {
  /** 0 … numHiddenLayers*innerGroupNum - 1, the order the encoder runs them (and returns attentions). */
  index: number;
  /** Outer layer i. */
  layer: number;
  /** Inner layer j of the group. */
  inner: number;
  group: number;
  /** The Hugging Face name prefix of the weights it runs. */
  weights: string;
}

export interface SharingGroup {
  group: number;
  innerLayers: number;
  /** Indices of the applications that run this group's weights. */
  applications: number[];
}

/** The group of outer layer i, as Hugging Face computes it. */
export function groupOfLayer(config: SharingConfig, layer: number): number {
  return Math.floor(layer / (config.numHiddenLayers / config.numHiddenGroups));
}

export function layerApplications(config: SharingConfig): LayerApplication[] {
  const out: LayerApplication[] = [];
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    const group = groupOfLayer(config, layer);
    for (let inner = 0; inner < config.innerGroupNum; inner++) {
      out.push({
        index: out.length,
        layer,
        inner,
        group,
        weights: `albert.encoder.albert_layer_groups.${group}.albert_layers.${inner}`,
      });
    }
  }
  return out;
}

export function sharingGroups(config: SharingConfig): SharingGroup[] {
  const groups: SharingGroup[] = [];
  for (let g = 0; g < config.numHiddenGroups; g++)
    groups.push({ group: g, innerLayers: config.innerGroupNum, applications: [] });
  for (const app of layerApplications(config)) groups[app.group]?.applications.push(app.index);
  return groups;
}
