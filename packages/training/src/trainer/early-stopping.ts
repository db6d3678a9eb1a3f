// Early stopping as Hugging Face's EarlyStoppingCallback: after each evaluation the watched metric
// counts as an improvement when it beats the best so far (lower for 'min', higher for 'max') by
// more than `threshold`; otherwise evalsWithoutImprovement grows, and training stops once it
// reaches `patience`. The best value is updated on any strict improvement (as HF's Trainer does).
import { TrainingError } from '../errors.js';

export interface EarlyStoppingOptions {
  /** A key of the metrics the evaluate function returns. */
  metric: string;
  /** 'min' (default: a loss) or 'max' (an accuracy, an F1). */
  mode?: 'min' | 'max';
  /** Evaluations without improvement before stopping. */
  patience: number;
  /** Minimum improvement that counts (default 0). */
  threshold?: number;
}

export type EarlyStoppingState = {
  bestMetric: number | null;
  bestStep: number | null;
  evalsWithoutImprovement: number;
};

export function checkEarlyStopping(options: EarlyStoppingOptions): void {
  if (!(Number.isInteger(options.patience) && options.patience >= 1)) {
    throw new TrainingError(`earlyStopping.patience must be an integer >= 1 (got ${options.patience}).`);
  }
  if (options.threshold != null && !(options.threshold >= 0)) {
    throw new TrainingError(`earlyStopping.threshold must be >= 0 (got ${options.threshold}).`);
  }
}

/** The state after one evaluation, and whether to stop. */
export function earlyStoppingUpdate(
  options: EarlyStoppingOptions,
  state: EarlyStoppingState,
  metrics: Record<string, number>,
  step: number,
): EarlyStoppingState & { stop: boolean } {
  const value = metrics[options.metric];
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TrainingError(
      `earlyStopping watches "${options.metric}" but the evaluate function returned ${JSON.stringify(metrics)} at step ${step}; return that metric or change earlyStopping.metric.`,
    );
  }
  const better = (a: number, b: number) => (options.mode === 'max' ? a > b : a < b);
  const best = state.bestMetric;
  const improved = best == null || (better(value, best) && Math.abs(value - best) > (options.threshold ?? 0));
  const next: EarlyStoppingState = {
    bestMetric: best == null || better(value, best) ? value : best,
    bestStep: best == null || better(value, best) ? step : state.bestStep,
    evalsWithoutImprovement: improved ? 0 : state.evalsWithoutImprovement + 1,
  };
  return { ...next, stop: next.evalsWithoutImprovement >= options.patience };
}
