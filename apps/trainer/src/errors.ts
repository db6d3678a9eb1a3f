// Errors albert-train reports to the user. All are AlbertError subclasses, so the CLI prints their
// message (what was wrong, where, what to do) and exits with code 2 instead of a stack trace.
import { AlbertError } from '@albert-ts/core';

export { AlbertError };

/** A file or folder the command needs does not exist or cannot be read. */
export class InputFileError extends AlbertError {}

/** A data file has the wrong shape: wrong column count, an unknown label, a missing field. */
export class DataFormatError extends AlbertError {}

/** A config (flags, JSON file, preset) does not match the checkpoint or run it is used with. */
export class ConfigMismatchError extends AlbertError {}

/** The corpus is too small for what was asked (sequence length, batch size, shard count). */
export class CorpusTooSmallError extends AlbertError {}

/** A command-line value is out of range or inconsistent with another. */
export class UsageError extends AlbertError {}
