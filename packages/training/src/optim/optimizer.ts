// The contract between optimizers and the Trainer. Parameters and gradients are keyed by full
// Hugging Face tensor names (a task model's namedParameters()), so weight-decay and
// layer-adaptation rules match names the way google-research/albert's optimizers do.
import type * as tf from '@tensorflow/tfjs-core';

/** Optimizer state by parameter name, for checkpoints: tensors are e.g. `<param>/m`, `<param>/v`. */
export type OptimizerState = {
  /** Number of updates applied so far. */
  step: number;
  /** Which optimizer and with which hyper-parameters (checked on load). */
  config: Record<string, unknown>;
  tensors: Map<string, tf.Tensor>;
};

export interface Optimizer {
  /** Number of updates applied so far. */
  readonly step: number;
  /**
   * One update of every parameter that has a gradient, at learning rate `lr`. Reads `grads`,
   * never disposes them; keeps no reference to them after returning.
   */
  applyGradients(params: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>, lr: number): void;
  /** A copy of the state (the caller disposes its tensors). */
  getState(): OptimizerState;
  /** Replaces the state (copies the tensors; clear error on a mismatched name, shape or config). */
  setState(state: OptimizerState): void;
  dispose(): void;
}

/** Learning rate at a 0-based update step. */
export type LearningRateSchedule = (step: number) => number;
