// The schedules against their references: ALBERT's and Hugging Face's linear schedule against
// fixtures/optim/schedule.json (google-research/albert optimization.py and transformers, in
// float64), cosine and polynomial decay against PyTorch's own schedulers
// (fixtures/schedules-torch.json, written by schedules-torch.py), and the bad options.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  albertSchedule,
  constantScheduleWithWarmup,
  cosineScheduleWithWarmup,
  type LearningRateSchedule,
  linearScheduleWithWarmup,
  ScheduleError,
} from '../src/index.js';

const read = (file: string) => JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8'));
const albert = read('optim/schedule.json').cases[0] as {
  peak_lr: number;
  warmup_steps: number;
  total_steps: number;
  power: number;
  steps: number[];
  lr_albert: number[];
  lr_hf_linear: number[];
};
const torch = read('schedules-torch.json') as {
  peak_lr: number;
  warmup_steps: number;
  total_steps: number;
  steps: number[];
  cosine_with_warmup: number[];
  polynomial_power2_no_warmup: number[];
  constant_with_warmup: number[];
};

/** Every step within 1e-6 relative of the float64 reference (exact zeros stay zero). */
function expectSchedule(schedule: LearningRateSchedule, steps: number[], expected: number[]): void {
  expect(steps.length).toBe(expected.length);
  for (const [i, step] of steps.entries()) {
    const want = expected[i] as number;
    const got = schedule(step);
    expect(Math.abs(got - want), `step ${step}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-6 * Math.abs(want));
  }
}

describe('references', () => {
  const { peak_lr: peak, warmup_steps: warmupSteps, total_steps: totalSteps } = albert;

  it("albertSchedule is ALBERT's warmup + polynomial decay from step 0", () => {
    const schedule = albertSchedule({ peak, warmupSteps, totalSteps, power: albert.power });
    expectSchedule(schedule, albert.steps, albert.lr_albert);
    expect(schedule(0)).toBe(0); // the first update
    expect(schedule(warmupSteps)).toBeCloseTo(0.75 * peak, 15); // below the peak at the end of warmup
  });

  it("linearScheduleWithWarmup is transformers' get_linear_schedule_with_warmup", () => {
    expectSchedule(linearScheduleWithWarmup({ peak, warmupSteps, totalSteps }), albert.steps, albert.lr_hf_linear);
  });

  it('cosineScheduleWithWarmup is a warmup then torch CosineAnnealingLR', () => {
    const { peak_lr, warmup_steps, total_steps } = torch;
    const schedule = cosineScheduleWithWarmup({ peak: peak_lr, warmupSteps: warmup_steps, totalSteps: total_steps });
    expectSchedule(schedule, torch.steps, torch.cosine_with_warmup);
  });

  it('albertSchedule with power 2 and no warmup is torch PolynomialLR', () => {
    const schedule = albertSchedule({ peak: torch.peak_lr, totalSteps: torch.total_steps, power: 2 });
    expectSchedule(schedule, torch.steps, torch.polynomial_power2_no_warmup);
  });

  it('constantScheduleWithWarmup rises to the peak and stays there', () => {
    const schedule = constantScheduleWithWarmup({ peak: torch.peak_lr, warmupSteps: torch.warmup_steps });
    expectSchedule(schedule, torch.steps, torch.constant_with_warmup);
  });

  it('albertSchedule decays to `end`', () => {
    const schedule = albertSchedule({ peak: 1e-3, warmupSteps: 0, totalSteps: 10, end: 1e-4 });
    expect(schedule(0)).toBe(1e-3);
    expect(schedule(5)).toBeCloseTo(5.5e-4, 15);
    expect(schedule(10)).toBeCloseTo(1e-4, 15);
    expect(schedule(50)).toBeCloseTo(1e-4, 15);
  });
});

describe('bad input', () => {
  const decay = { albertSchedule, linearScheduleWithWarmup, cosineScheduleWithWarmup };

  it.each(Object.entries(decay))('%s: a warmup longer than the training is a ScheduleError', (name, make) => {
    const run = () => make({ peak: 1e-3, warmupSteps: 101, totalSteps: 100 });
    expect(run).toThrow(ScheduleError);
    expect(run).toThrow(`${name}: the warmup (101 steps) is longer than the training (totalSteps 100)`);
    expect(() => make({ peak: 1e-3, warmupSteps: 100, totalSteps: 100 })).not.toThrow();
  });

  it.each([0, -1e-3, Number.NaN, Number.POSITIVE_INFINITY])('a peak of %s is a ScheduleError', (peak) => {
    expect(() => albertSchedule({ peak, totalSteps: 10 })).toThrow(
      /the peak learning rate must be a finite number > 0/,
    );
    expect(() => constantScheduleWithWarmup({ peak })).toThrow(ScheduleError);
  });

  it('bad step counts and steps are ScheduleErrors', () => {
    expect(() => linearScheduleWithWarmup({ peak: 1, warmupSteps: 1.5, totalSteps: 10 })).toThrow(
      /warmupSteps must be an integer ≥ 0, got 1.5/,
    );
    expect(() => cosineScheduleWithWarmup({ peak: 1, totalSteps: 0 })).toThrow(/totalSteps must be > 0/);
    expect(() => albertSchedule({ peak: 1, totalSteps: 10, power: 0 })).toThrow(/power must be/);
    expect(() => albertSchedule({ peak: 1, totalSteps: 10, end: 2 })).toThrow(/end must be in \[0, peak\]/);
    const schedule = albertSchedule({ peak: 1, totalSteps: 10 });
    expect(() => schedule(-1)).toThrow(ScheduleError);
    expect(() => schedule(0.5)).toThrow(/the step must be an integer ≥ 0/);
  });
});
