// The option checks every schedule shares.
import { ScheduleError } from './errors.js';

export type WarmupOptions = {
  /** The rate at the top of the schedule (> 0). */
  peak: number;
  /** Updates of linear warmup from 0 (default 0). */
  warmupSteps?: number;
};

export type DecayOptions = WarmupOptions & {
  /** Updates in the whole run (≥ warmupSteps). */
  totalSteps: number;
};

function checkCount(schedule: string, key: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new ScheduleError(`${schedule}: ${key} must be an integer ≥ 0, got ${value}.`);
}

/** Checks peak and warmup; returns the warmup length. */
export function checkWarmup(schedule: string, options: WarmupOptions): number {
  if (typeof options.peak !== 'number' || !(options.peak > 0) || !Number.isFinite(options.peak))
    throw new ScheduleError(`${schedule}: the peak learning rate must be a finite number > 0, got ${options.peak}.`);
  const warmup = options.warmupSteps ?? 0;
  checkCount(schedule, 'warmupSteps', warmup);
  return warmup;
}

/** Checks peak, warmup and total; returns [warmup, total]. */
export function checkDecay(schedule: string, options: DecayOptions): [number, number] {
  const warmup = checkWarmup(schedule, options);
  checkCount(schedule, 'totalSteps', options.totalSteps);
  if (options.totalSteps === 0) throw new ScheduleError(`${schedule}: totalSteps must be > 0, got 0.`);
  if (warmup > options.totalSteps)
    throw new ScheduleError(
      `${schedule}: the warmup (${warmup} steps) is longer than the training (totalSteps ${options.totalSteps}): ` +
        'shorten warmupSteps or raise totalSteps.',
    );
  return [warmup, options.totalSteps];
}

/** Checks the step a schedule is asked about. */
export function checkStep(schedule: string, step: number): void {
  if (!Number.isSafeInteger(step) || step < 0)
    throw new ScheduleError(`${schedule}: the step must be an integer ≥ 0 (0 is the first update), got ${step}.`);
}
