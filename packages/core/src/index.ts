// @albert-ts/core: AlbertConfig, parameters, AlbertModel forward, safetensors, checkpoints.

export { deriveSeed, SeededRandom } from '@albert-ts/common';
export {
  type Checkpoint,
  type FromPretrainedOptions,
  modelFiles,
  openCheckpoint,
  readPretrained,
  valuesFromFile,
  writeModelFolder,
  writePretrained,
} from './checkpoint/pretrained.js';
export {
  BASE_MODEL_PREFIX,
  entryToTensor,
  isLinearWeight,
  type LoadStateDictOptions,
  loadStateDict,
  matchStateDict,
  type StateDictMatch,
  stateDict,
} from './checkpoint/state-dict.js';
export { AlbertConfig, type AlbertConfigFields } from './config/albert-config.js';
export { countParameters } from './config/count-parameters.js';
export { type AlbertPresetName, albertPreset, PRESET_NAMES } from './config/presets.js';
export { AlbertError, CheckpointError, ConfigError, ModelInputError } from './errors.js';
export * from './hub/index.js';
export { createVariables, type InitKind, initNormal, initVariable, normalValues } from './init/init.js';
export {
  type AlbertForwardOptions,
  type AlbertInputs,
  AlbertModel,
  type AlbertModelOptions,
  type AlbertOutput,
} from './model/albert-model.js';
export { type EncodedInputs, type EncodingLike, inputsFromEncodings } from './model/inputs-from-encodings.js';
export { type LowPrecisionWeights, MODEL_DTYPES, type ModelDtype } from './model/low-precision.js';
export { albertParameterSpecs, layerPrefix, type ParameterSpec } from './model/parameter-specs.js';
export { ACTIVATION_NAMES, activation, gelu, geluNew } from './ops/activations.js';
export { type AttentionWeights, maskToBias, selfAttention } from './ops/attention.js';
export { type DropoutContext, dropout } from './ops/dropout.js';
export { embeddingLookup } from './ops/embedding.js';
export { type FusedKernelName, hasFusedKernel, runFusedKernelOutputs } from './ops/fused.js';
export { layerNorm } from './ops/layer-norm.js';
export { linear } from './ops/linear.js';
export * from './safetensors/index.js';
export {
  AlbertPreTrainedModel,
  type AnyTaskModel,
  classifierDropoutRate,
  requestedOutputs,
  type TaskForwardOptions,
  type TaskFromPretrainedOptions,
  type TaskModelClass,
  type TaskModelConstructor,
  type TaskModelOptions,
  type TaskOutput,
} from './task/albert-pretrained-model.js';
export { gatherLabelledRows, labelledRowIndices } from './task/labelled-rows.js';
export { bceWithLogits, crossEntropy, IGNORE_INDEX, mseLoss } from './task/losses.js';
export { registerTaskModel, taskModelArchitectures, taskModelClass } from './task/registry.js';
export { type LoadingInfo, reportLoading, type TaskModelSpec, taskValuesFromFile } from './task/task-checkpoint.js';
