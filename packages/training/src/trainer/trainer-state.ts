// trainer_state.json and rng_state.json: everything besides weights, optimizer moments and the data
// position that a resumed run needs to continue as if it had never stopped.

/** One evaluation's metrics, as the user's evaluate function returned them. */
export type EvaluationRecord = { step: number; metrics: Record<string, number> };

/** One logged training step. */
export type LogRecord = { step: number; loss: number; learningRate: number; gradNorm: number };

export type TrainerState = {
  format: 'albert-ts-trainer-state';
  version: 1;
  /** Optimizer updates done. */
  globalStep: number;
  maxSteps: number | null;
  seed: number;
  gradientAccumulationSteps: number;
  maxGradNorm: number | null;
  /** Micro-batches consumed. */
  batchesSeen: number;
  /** Tokens consumed (as the Trainer's countTokens counts them). */
  tokensSeen: number;
  /** Wall time spent in train() up to this checkpoint, over all sessions. */
  trainSeconds: number;
  /** The data ran out (the run is over). */
  dataExhausted: boolean;
  logHistory: LogRecord[];
  evaluations: EvaluationRecord[];
  /** Early stopping: the best value of the watched metric so far, and when. */
  bestMetric: number | null;
  bestStep: number | null;
  /** Early stopping: evaluations since the last improvement. */
  evalsWithoutImprovement: number;
};

/**
 * The trainer draws no random numbers of its own: the dropout seed of micro-batch k of update s is
 * deriveSeed(seed, `dropout/${s}/${k}`) (core's deriveSeed). So the RNG state is the seed and the step.
 */
export type RngState = {
  format: 'albert-ts-rng-state';
  version: 1;
  seed: number;
  nextStep: number;
  scheme: 'deriveSeed(seed, dropout/<step>/<micro>)';
};

export function freshTrainerState(fields: {
  maxSteps: number | null;
  seed: number;
  gradientAccumulationSteps: number;
  maxGradNorm: number | null;
}): TrainerState {
  return {
    format: 'albert-ts-trainer-state',
    version: 1,
    globalStep: 0,
    ...fields,
    batchesSeen: 0,
    tokensSeen: 0,
    trainSeconds: 0,
    dataExhausted: false,
    logHistory: [],
    evaluations: [],
    bestMetric: null,
    bestStep: null,
    evalsWithoutImprovement: 0,
  };
}

export function rngState(seed: number, nextStep: number): RngState {
  return {
    format: 'albert-ts-rng-state',
    version: 1,
    seed,
    nextStep,
    scheme: 'deriveSeed(seed, dropout/<step>/<micro>)',
  };
}
