// The shape every pipeline failure must have: a PipelineError (an AlbertError) with the expected code
// and message.
import { expect } from 'vitest';
import { AlbertError, PipelineError, type PipelineErrorCode } from '../../src/index.js';

/** Awaits `promise`, which must reject with a PipelineError of `code` whose message matches `message`. */
export async function expectPipelineError(
  promise: Promise<unknown>,
  code: PipelineErrorCode,
  message: RegExp | string,
): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PipelineError);
  expect(err).toBeInstanceOf(AlbertError);
  expect((err as PipelineError).code).toBe(code);
  expect((err as Error).message).toMatch(message);
}
