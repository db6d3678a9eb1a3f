// Errors the playground reports to the user. Each is an AlbertError, so the CLI prints the message
// (what was wrong, where, what to do) and exits with code 2 instead of a stack trace.
import { AlbertError } from 'albert-ts';

/** A command-line value is missing, out of range or inconsistent with another. */
export class UsageError extends AlbertError {}

/** A model could not be opened or loaded (bad folder, corrupt weights, wrong architecture, …). */
export class ModelLoadError extends AlbertError {}

/** An error the page's worker reported (its name and code kept), shown to the user in plain words. */
export class WorkerTaskError extends AlbertError {
  readonly code: string | undefined;
  readonly original: string;
  constructor(error: { name: string; code?: string; message: string }) {
    super(error.message);
    this.code = error.code;
    this.original = error.name;
  }
}
