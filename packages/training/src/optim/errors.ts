// Errors the optimizers throw on purpose. Each says what was wrong, where, and what to do.
import { AlbertError } from '@albert-ts/core';

/** Bad optimizer options or inputs: a hyper-parameter out of range, a name rule matching nothing, a bad gradient. */
export class OptimizerError extends AlbertError {}

/** An optimizer state (e.g. read from a checkpoint) that is corrupt or does not fit this optimizer and its parameters. */
export class OptimizerStateError extends OptimizerError {}
