// Learning-rate schedules: step (0-based, the number of updates already applied) → rate.
//
// albertSchedule: google-research/albert optimization.py — polynomial decay to `end` counted
// from step 0 (not from the end of warmup), then linear warmup overriding the first steps:
//   decayed = (peak − end)·(1 − min(step, total)/total)^power + end
//   lr = step < warmup ? peak·step/warmup : decayed
// so at the end of warmup the rate is already below the peak (0.75·peak for warmup 5 of 20).
// The others are Hugging Face transformers' get_*_schedule_with_warmup, where the decay starts
// from the peak at the end of warmup.
import type { LearningRateSchedule } from '../optim/optimizer.js';
import { checkDecay, checkStep, checkWarmup, type DecayOptions, type WarmupOptions } from './check.js';
import { ScheduleError } from './errors.js';

export type AlbertScheduleOptions = DecayOptions & {
  /** Exponent of the polynomial decay (default 1: linear). */
  power?: number;
  /** Rate at totalSteps and after (default 0). */
  end?: number;
};

/** ALBERT's schedule: linear warmup, then polynomial decay counted from step 0. */
export function albertSchedule(options: AlbertScheduleOptions): LearningRateSchedule {
  const [warmup, total] = checkDecay('albertSchedule', options);
  const { peak, power = 1, end = 0 } = options;
  if (!(power > 0) || !Number.isFinite(power))
    throw new ScheduleError(`albertSchedule: power must be a finite number > 0, got ${power}.`);
  if (!(end >= 0 && end <= peak)) throw new ScheduleError(`albertSchedule: end must be in [0, peak], got ${end}.`);
  return (step) => {
    checkStep('albertSchedule', step);
    if (warmup > 0 && step < warmup) return peak * (step / warmup);
    return (peak - end) * (1 - Math.min(step, total) / total) ** power + end;
  };
}

/** Hugging Face's get_linear_schedule_with_warmup: 0 → peak over the warmup, then linearly to 0 at totalSteps. */
export function linearScheduleWithWarmup(options: DecayOptions): LearningRateSchedule {
  const [warmup, total] = checkDecay('linearScheduleWithWarmup', options);
  const { peak } = options;
  return (step) => {
    checkStep('linearScheduleWithWarmup', step);
    if (step < warmup) return peak * (step / Math.max(1, warmup));
    return peak * Math.max(0, (total - step) / Math.max(1, total - warmup));
  };
}

/** Hugging Face's get_constant_schedule_with_warmup: 0 → peak over the warmup, then peak. */
export function constantScheduleWithWarmup(options: WarmupOptions): LearningRateSchedule {
  const warmup = checkWarmup('constantScheduleWithWarmup', options);
  const { peak } = options;
  return (step) => {
    checkStep('constantScheduleWithWarmup', step);
    return step < warmup ? peak * (step / Math.max(1, warmup)) : peak;
  };
}

export type CosineScheduleOptions = DecayOptions & {
  /** Cosine waves after the warmup (default 0.5: from the peak down to 0 once). */
  numCycles?: number;
};

/** Hugging Face's get_cosine_schedule_with_warmup: 0 → peak over the warmup, then a cosine to 0. */
export function cosineScheduleWithWarmup(options: CosineScheduleOptions): LearningRateSchedule {
  const [warmup, total] = checkDecay('cosineScheduleWithWarmup', options);
  const { peak, numCycles = 0.5 } = options;
  if (!(numCycles > 0) || !Number.isFinite(numCycles))
    throw new ScheduleError(`cosineScheduleWithWarmup: numCycles must be a finite number > 0, got ${numCycles}.`);
  return (step) => {
    checkStep('cosineScheduleWithWarmup', step);
    if (step < warmup) return peak * (step / Math.max(1, warmup));
    const progress = (step - warmup) / Math.max(1, total - warmup);
    return peak * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress)));
  };
}
