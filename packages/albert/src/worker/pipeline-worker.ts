// The worker side of a pipeline that runs off the page's main thread. In the worker script:
//   import { servePipeline } from 'albert-ts';
//   servePipeline();
// It answers the messages of createPipelineWorker (worker-client.ts): load a pipeline (reporting
// the bytes of each file as they arrive and the backend it chose), then run inputs through it. Its
// one-line warnings (truncated inputs, …) go to the page's `warn`.
import * as tf from '@tensorflow/tfjs-core';
import { PipelineError } from '../errors.js';
import type { TruncationDetail } from '../pipelines/encode.js';
import { pipeline, type TaskName } from '../pipelines/pipeline.js';
import type { LoadProgress } from '../pipelines/progress.js';
import type { FromWorker, ToWorker } from './messages.js';

type Scope = {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: { data: ToWorker }) => void): void;
};

function errorMessage(err: unknown, id: number | null): FromWorker {
  const e = err as { name?: string; code?: string; message?: string };
  return {
    type: 'error',
    id,
    name: e?.name ?? 'Error',
    message: e?.message ?? String(err),
    ...(typeof e?.code === 'string' && { code: e.code }),
  };
}

/** Serves pipeline requests in this worker (`scope` defaults to the worker's global scope). */
export function servePipeline(scope: Scope = globalThis as unknown as Scope): void {
  let loaded: Promise<(input: unknown, options?: unknown) => Promise<unknown>> | null = null;
  // Runs go one at a time (they would only compete for the same cores), so a warning belongs to the
  // run in progress.
  let queue: Promise<void> = Promise.resolve();
  let running: number | undefined;
  scope.addEventListener('message', async ({ data }) => {
    if (data.type === 'load') {
      loaded = (async () => {
        const pipe = await pipeline(data.task as TaskName, data.model, {
          ...data.options,
          onProgress: (progress: LoadProgress) => scope.postMessage({ type: 'progress', progress }),
          warn: (message: string, detail?: TruncationDetail) =>
            scope.postMessage({
              type: 'warn',
              message,
              ...(running !== undefined && { id: running }),
              ...(detail && { detail }),
            }),
        } as never);
        scope.postMessage({ type: 'ready', backend: pipe.backend, backendName: tf.getBackend() });
        return pipe as unknown as (input: unknown, options?: unknown) => Promise<unknown>;
      })();
      loaded.catch((err: unknown) => scope.postMessage(errorMessage(err, null)));
      return;
    }
    if (data.type === 'run') {
      queue = queue.then(async () => {
        running = data.id;
        try {
          if (loaded === null) {
            throw new PipelineError(
              'not-loaded',
              "No pipeline is loaded in this worker: post a { type: 'load' } message first (createPipelineWorker does this).",
            );
          }
          const pipe = await loaded;
          scope.postMessage({ type: 'result', id: data.id, output: await pipe(data.input, data.options) });
        } catch (err) {
          scope.postMessage(errorMessage(err, data.id));
        } finally {
          running = undefined;
        }
      });
    }
  });
}
