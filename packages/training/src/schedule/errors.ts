// Errors the learning-rate schedules throw on purpose.
import { AlbertError } from '@albert-ts/core';

/** Bad schedule options (a peak rate ≤ 0, a warmup longer than training) or a bad step. */
export class ScheduleError extends AlbertError {}
