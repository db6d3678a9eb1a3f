// The unigram trainer's public surface.

export { TrainerError } from './errors.js';
export { ALBERT_PRESET, DEFAULT_TRAINER_OPTIONS, TRAINER_PRESETS, type TrainerOptions } from './options.js';
export type { SentenceSource } from './read-sentences.js';
export {
  type TrainerProgress,
  type TrainerStage,
  type TrainOptions,
  type TrainResult,
  trainUnigram,
  trainUnigramFromFiles,
} from './train.js';
