// @albert-ts/training: optimizers (AdamW, LAMB, ALBERT's and Hugging Face's AdamW variants, SGD),
// learning-rate schedules, the Trainer, checkpoints and resume.
export {
  CONFIG_FILE,
  DATA_STATE_FILE,
  MODEL_FILE,
  OPTIMIZER_FILE,
  RNG_STATE_FILE,
  readCheckpoint,
  type StoredCheckpoint,
  TRAINER_STATE_FILE,
} from './checkpoint/checkpoint-files.js';
export { checkpointZip, downloadCheckpoint } from './checkpoint/download.js';
export {
  IndexedDBCheckpointStorage,
  type IndexedDBCheckpointStorageOptions,
} from './checkpoint/indexeddb-storage.js';
export { checkpointName, checkpointStep } from './checkpoint/names.js';
export { NodeCheckpointStorage, type NodeCheckpointStorageOptions } from './checkpoint/node-storage.js';
export type { CheckpointStorage, StorageProgress } from './checkpoint/storage.js';
export {
  type ArraySourceOptions,
  type ArraySourceState,
  arraySource,
  groupByLength,
  MEGA_BATCH,
} from './data/array-source.js';
export type { DataSourceFactory, ResumableSource } from './data/data-source.js';
export { type ReplaySourceState, replaySource } from './data/replay-source.js';
export { NonFiniteLossError, TrainingCheckpointError, TrainingError } from './errors.js';
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
export { SGD, type SGDOptions } from './optim/sgd.js';
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
export { type ClippedGradients, clipGradNorm, globalNorm } from './trainer/clip-grad-norm.js';
export type { EarlyStoppingOptions } from './trainer/early-stopping.js';
export type {
  CheckpointEvent,
  CheckpointReason,
  EvaluateEvent,
  StepEvent,
  StopEvent,
  StopReason,
  TrainerEvents,
} from './trainer/events.js';
export type {
  ModelConfig,
  ModelForwardOptions,
  ModelInputs,
  TrainableModel,
  TrainForwardOptions,
} from './trainer/model.js';
export {
  type CheckpointOptions,
  type EvaluationOptions,
  Trainer,
  type TrainerOptions,
  type TrainOptions,
  type TrainResult,
} from './trainer/trainer.js';
export type { EvaluationRecord, LogRecord, RngState, TrainerState } from './trainer/trainer-state.js';
