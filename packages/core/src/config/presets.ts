// Named ALBERT shapes. Sizes are the paper's Table 1 (Lan et al. 2020, "ALBERT: A Lite BERT for
// Self-supervised Learning of Language Representations"): base L12 H768, large L24 H1024,
// xlarge L24 H2048, xxlarge L12 H4096, all with E128, 30k SentencePiece vocabulary, FFN 4H and
// head size 64 (xlarge: 16 heads of 128, xxlarge: 64 heads of 64), one shared group.
// The remaining fields follow Hugging Face's published config.json files: the v2 checkpoints use
// gelu_new and no dropout; the v1 checkpoints use gelu and dropout 0.1.
import { ConfigError } from '../errors.js';
import { AlbertConfig, type AlbertConfigFields } from './albert-config.js';

export type AlbertPresetName =
  | 'albert-base-v1'
  | 'albert-large-v1'
  | 'albert-xlarge-v1'
  | 'albert-xxlarge-v1'
  | 'albert-base-v2'
  | 'albert-large-v2'
  | 'albert-xlarge-v2'
  | 'albert-xxlarge-v2';

const SHAPES: Record<string, Partial<AlbertConfigFields>> = {
  base: { hiddenSize: 768, numHiddenLayers: 12, numAttentionHeads: 12, intermediateSize: 3072 },
  large: { hiddenSize: 1024, numHiddenLayers: 24, numAttentionHeads: 16, intermediateSize: 4096 },
  xlarge: { hiddenSize: 2048, numHiddenLayers: 24, numAttentionHeads: 16, intermediateSize: 8192 },
  xxlarge: { hiddenSize: 4096, numHiddenLayers: 12, numAttentionHeads: 64, intermediateSize: 16384 },
};

const VERSIONS: Record<string, Partial<AlbertConfigFields>> = {
  v1: { hiddenAct: 'gelu', hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1 },
  v2: { hiddenAct: 'gelu_new', hiddenDropoutProb: 0, attentionProbsDropoutProb: 0 },
};

export const PRESET_NAMES: AlbertPresetName[] = (['v1', 'v2'] as const).flatMap((v) =>
  (['base', 'large', 'xlarge', 'xxlarge'] as const).map((s) => `albert-${s}-${v}` as AlbertPresetName),
);

/** The config of a released ALBERT ('albert-base-v2', also accepted as 'albert/albert-base-v2'). */
export function albertPreset(name: AlbertPresetName | `albert/${AlbertPresetName}`): AlbertConfig {
  const match = /^(?:albert\/)?albert-(base|large|xlarge|xxlarge)-(v1|v2)$/.exec(name);
  if (match == null) {
    throw new ConfigError(`Unknown ALBERT preset "${name}". Known presets: ${PRESET_NAMES.join(', ')}.`);
  }
  const [, size, version] = match as unknown as [string, string, string];
  return new AlbertConfig(
    {
      vocabSize: 30000,
      embeddingSize: 128,
      numHiddenGroups: 1,
      innerGroupNum: 1,
      maxPositionEmbeddings: 512,
      typeVocabSize: 2,
      initializerRange: 0.02,
      layerNormEps: 1e-12,
      classifierDropoutProb: 0.1,
      architectures: ['AlbertForMaskedLM'],
      ...SHAPES[size],
      ...VERSIONS[version],
    },
    // Keys of the original TF-Hub configs that HF's files still carry; HF ignores them, so do we.
    { down_scale_factor: 1, gap_size: 0, net_structure_type: 0, num_memory_blocks: 0 },
  );
}
