// The umbrella package's one error class. Every code says what kind of mistake it was; the message
// says what was wrong, where, and what to do.
import { AlbertError } from '@albert-ts/core';

/**
 * - `bad-input`: an empty string, an empty array, a non-string, a question without context, …
 * - `bad-option`: an option out of range or of the wrong type (`topK: 0`, an unknown pooling, …)
 * - `unknown-task`: `pipeline()` got a task name it does not know
 * - `wrong-architecture`: the model folder's `architectures` does not fit the task
 * - `no-tokenizer`: the model folder has neither `spiece.model` nor `tokenizer.json` (or, for
 *   AlbertTokenizer.fromPretrained, no `spiece.model`; offline, not in the cache)
 * - `no-default-model`: no model was given and no default model is installed for the task
 * - `disposed`: the pipeline was called after `dispose()`
 * - `not-loaded`: a pipeline worker was asked to run before it was told what to load
 * - `worker-failed`: a pipeline worker could not load its code or backend, or stopped (the message says why)
 */
export const PIPELINE_ERROR_CODES = [
  'bad-input',
  'bad-option',
  'unknown-task',
  'wrong-architecture',
  'no-tokenizer',
  'no-default-model',
  'disposed',
  'not-loaded',
  'worker-failed',
] as const;

export type PipelineErrorCode = (typeof PIPELINE_ERROR_CODES)[number];

/** True for a code of PipelineError (e.g. one that came back from a worker as a plain string). */
export function isPipelineErrorCode(code: unknown): code is PipelineErrorCode {
  return (PIPELINE_ERROR_CODES as readonly unknown[]).includes(code);
}

export class PipelineError extends AlbertError {
  readonly code: PipelineErrorCode;
  constructor(code: PipelineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The error of a call to a pipeline after its dispose(). */
export function disposedError(task: string): PipelineError {
  return new PipelineError('disposed', `${task}: this pipeline was disposed; create a new one`);
}
