// The model's AlbertConfig from --config (a preset name or a config.json) and the shape flags
// (--hidden-size, --num-layers, …). The vocabulary size always comes from the tokenizer: a config
// that names another one does not fit it and is refused.
import { existsSync, readFileSync } from 'node:fs';
import {
  AlbertConfig,
  type AlbertConfigFields,
  type AlbertPresetName,
  albertPreset,
  PRESET_NAMES,
} from '@albert-ts/core';
import { type Command, Option } from 'commander';
import { int, num } from '../cli/options.js';
import { ConfigMismatchError, UsageError } from '../errors.js';

export interface ModelShapeFlags {
  config: string;
  hiddenSize?: number;
  numLayers?: number;
  numGroups?: number;
  innerGroupNum?: number;
  numHeads?: number;
  intermediateSize?: number;
  embeddingSize?: number;
  maxPositionEmbeddings?: number;
  dropout?: number;
  vocabSize?: number;
}

/** The shape flags (attribute names) that --init-from refuses: the model's config.json decides them. */
export const MODEL_SHAPE_FLAGS = [
  'config',
  'hiddenSize',
  'numLayers',
  'numGroups',
  'innerGroupNum',
  'numHeads',
  'intermediateSize',
  'embeddingSize',
  'maxPositionEmbeddings',
  'vocabSize',
] as const;

export function addModelShapeOptions(command: Command): Command {
  return command
    .option(
      '--config <preset|file>',
      `a preset (${PRESET_NAMES.filter((n) => n.endsWith('v2')).join(', ')}, …) or a Hugging Face config.json`,
      'albert-base-v2',
    )
    .option('--hidden-size <n>', 'H (hidden_size)', int('--hidden-size', 1))
    .option('--num-layers <n>', 'layer applications (num_hidden_layers)', int('--num-layers', 1))
    .option('--num-groups <n>', 'groups of shared layer weights (num_hidden_groups)', int('--num-groups', 1))
    .option('--inner-group-num <n>', 'layers per group (inner_group_num)', int('--inner-group-num', 1))
    .option('--num-heads <n>', 'attention heads (num_attention_heads)', int('--num-heads', 1))
    .option(
      '--intermediate-size <n>',
      'FFN width (default 4 × hidden size when --hidden-size is given)',
      int('--intermediate-size', 1),
    )
    .option('--embedding-size <n>', 'E (embedding_size)', int('--embedding-size', 1))
    .option(
      '--max-position-embeddings <n>',
      'longest input (max_position_embeddings)',
      int('--max-position-embeddings', 1),
    )
    .option('--dropout <p>', 'hidden and attention dropout', num('--dropout', 0, 1))
    .addOption(
      new Option('--vocab-size <n>', "must equal the tokenizer's size (checked)").argParser(int('--vocab-size', 1)),
    );
}

function baseConfig(spec: string): AlbertConfig {
  const preset = spec.replace(/^albert\//, '');
  if ((PRESET_NAMES as string[]).includes(preset)) return albertPreset(preset as AlbertPresetName);
  if (existsSync(spec)) return AlbertConfig.fromJSONString(readFileSync(spec, 'utf8'));
  throw new UsageError(`--config '${spec}' is neither a preset (${PRESET_NAMES.join(', ')}) nor a config.json file.`);
}

/** --dropout as config changes: hidden and attention dropout alike ({} when not given). */
export function dropoutChanges(dropout: number | undefined): Partial<AlbertConfigFields> {
  return dropout == null ? {} : { hiddenDropoutProb: dropout, attentionProbsDropoutProb: dropout };
}

/** The config a run trains; `vocabSize` is the tokenizer's. */
export function resolveModelConfig(flags: ModelShapeFlags, vocabSize: number, maxSeqLength: number): AlbertConfig {
  const base = baseConfig(flags.config);
  const isFile = !(PRESET_NAMES as string[]).includes(flags.config.replace(/^albert\//, ''));
  if (flags.vocabSize != null && flags.vocabSize !== vocabSize) {
    throw new ConfigMismatchError(
      `--vocab-size ${flags.vocabSize} does not match the tokenizer, which has ${vocabSize} pieces.`,
    );
  }
  if (isFile && base.vocabSize !== vocabSize) {
    throw new ConfigMismatchError(
      `${flags.config} has vocab_size ${base.vocabSize} but the tokenizer has ${vocabSize} pieces: the embedding table would not fit. ` +
        'Use the tokenizer the config was made for, or set vocab_size in the config.',
    );
  }
  const changes: Partial<AlbertConfigFields> = { vocabSize };
  if (flags.hiddenSize != null) {
    changes.hiddenSize = flags.hiddenSize;
    changes.intermediateSize = 4 * flags.hiddenSize;
  }
  if (flags.intermediateSize != null) changes.intermediateSize = flags.intermediateSize;
  if (flags.numLayers != null) changes.numHiddenLayers = flags.numLayers;
  if (flags.numGroups != null) changes.numHiddenGroups = flags.numGroups;
  if (flags.innerGroupNum != null) changes.innerGroupNum = flags.innerGroupNum;
  if (flags.numHeads != null) changes.numAttentionHeads = flags.numHeads;
  if (flags.embeddingSize != null) changes.embeddingSize = flags.embeddingSize;
  if (flags.maxPositionEmbeddings != null) changes.maxPositionEmbeddings = flags.maxPositionEmbeddings;
  Object.assign(changes, dropoutChanges(flags.dropout));
  const config = base.with(changes);
  if (config.hiddenSize % config.numAttentionHeads !== 0) {
    throw new UsageError(
      `hidden size ${config.hiddenSize} is not a multiple of the ${config.numAttentionHeads} attention heads; set --num-heads to a divisor.`,
    );
  }
  if (maxSeqLength > config.maxPositionEmbeddings) {
    throw new UsageError(
      `--max-seq-length ${maxSeqLength} exceeds the model's max_position_embeddings ${config.maxPositionEmbeddings}.`,
    );
  }
  return config;
}
