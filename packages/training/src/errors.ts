// Errors thrown on purpose by @albert-ts/training. Each says what was wrong, where, and what to do.
import { AlbertError } from '@albert-ts/core';

/** Bad trainer or optimizer options, or a state that does not fit them. */
export class TrainingError extends AlbertError {}

/** A checkpoint that is missing, incomplete, corrupt or saved for another model or optimizer. */
export class TrainingCheckpointError extends AlbertError {}

/** The loss or the gradients became NaN or infinite; training stopped before applying that update. */
export class NonFiniteLossError extends AlbertError {
  constructor(
    message: string,
    /** The 1-based update step whose loss or gradients were not finite. */
    readonly step: number,
    /** Name of the newest checkpoint on storage (written before that step), or null. */
    readonly lastCheckpoint: string | null,
  ) {
    super(message);
  }
}
