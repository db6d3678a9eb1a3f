// Errors the playground reports to the user. Each is an AlbertError, so the CLI prints the message
// (what was wrong, where, what to do) and exits with code 2 instead of a stack trace.
import { AlbertError } from 'albert-ts';

/** A command-line value is missing, out of range or inconsistent with another. */
export class UsageError extends AlbertError {}

/** A model could not be opened or loaded (bad folder, corrupt weights, wrong architecture, …). */
export class ModelLoadError extends AlbertError {}
