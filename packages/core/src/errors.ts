// Errors thrown by @albert-ts/core. All are AlbertError subclasses (the root lives in
// @albert-ts/common), so `err instanceof AlbertError` catches every error albert-ts throws on purpose.
import { AlbertError } from '@albert-ts/common';

export { AlbertError };

/** A config.json field is missing, has the wrong type or an impossible value. */
export class ConfigError extends AlbertError {}

/** Model inputs have the wrong rank, dtype or shape, or are longer than the model allows. */
export class ModelInputError extends AlbertError {}

/** A checkpoint does not fit the model: missing or unexpected tensors, wrong shapes or dtypes. */
export class CheckpointError extends AlbertError {}
