// @albert-ts/training: optimizers, schedules, the Trainer, checkpoints and resume.

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
export { type ArraySourceOptions, type ArraySourceState, arraySource } from './data/array-source.js';
export type { DataSourceFactory, ResumableSource } from './data/data-source.js';
export { type ReplaySourceState, replaySource } from './data/replay-source.js';
export { NonFiniteLossError, TrainingCheckpointError, TrainingError } from './errors.js';
export type { LearningRateSchedule, Optimizer, OptimizerState } from './optim/optimizer.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
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
