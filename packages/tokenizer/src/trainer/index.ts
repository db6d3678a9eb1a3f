// The unigram trainer's public surface.

export { TrainerError } from './errors.js';
export { ALBERT_PRESET, DEFAULT_TRAINER_OPTIONS, TRAINER_PRESETS, type UnigramTrainerOptions } from './options.js';
export type { SentenceSource } from './read-sentences.js';
export {
  type TrainerProgress,
  type TrainerStage,
  type UnigramTrainOptions,
  type UnigramTrainResult,
  trainUnigram,
  trainUnigramFromFiles,
} from './train.js';
