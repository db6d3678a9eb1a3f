// @albert-ts/training: optimizers (AdamW, LAMB, ALBERT's and Hugging Face's AdamW variants),
// learning-rate schedules, and (from the trainer) the training loop and checkpoints.

export type { AdamFamilyOptions } from './optim/adam-family.js';
export type { AdamUpdateRule, UpdateImplementation } from './optim/adam-update.js';
export { adamUpdate, usesFusedUpdate } from './optim/adam-update.js';
export { AdamWeightDecay, type AdamWeightDecayOptions } from './optim/adam-weight-decay.js';
export { AdamW, type AdamWOptions } from './optim/adamw.js';
export { OptimizerError, OptimizerStateError } from './optim/errors.js';
export { HfLegacyAdamW, type HfLegacyAdamWOptions } from './optim/hf-legacy-adamw.js';
export { Lamb, type LambOptions, type LambTrace } from './optim/lamb.js';
export { ALBERT_EXCLUDE_FROM_WEIGHT_DECAY, type NamePattern } from './optim/name-rules.js';
export type { LearningRateSchedule, Optimizer, OptimizerState } from './optim/optimizer.js';
export type { DecayOptions, WarmupOptions } from './schedule/check.js';
export { ScheduleError } from './schedule/errors.js';
export {
  type AlbertScheduleOptions,
  albertSchedule,
  type CosineScheduleOptions,
  constantScheduleWithWarmup,
  cosineScheduleWithWarmup,
  linearScheduleWithWarmup,
} from './schedule/schedules.js';
