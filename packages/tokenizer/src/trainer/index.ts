// The unigram trainer's public surface.

export { TrainerError } from './errors.js';
export { ALBERT_PRESET, DEFAULT_TRAINER_OPTIONS, TRAINER_PRESETS, type UnigramTrainerOptions } from './options.js';
export type { SentenceSource } from './read-sentences.js';
export {
  type TrainerProgress,
  type TrainerStage,
  trainUnigram,
  trainUnigramFromFiles,
  type UnigramTrainOptions,
  type UnigramTrainResult,
} from './train.js';
