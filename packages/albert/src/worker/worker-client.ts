// The page side: a pipeline running in a Web Worker, so the page never blocks while the model loads
// or computes. The worker script calls servePipeline(); the page:
//   const classify = await createPipelineWorker(new Worker(url, { type: 'module' }), 'text-classification',
//     'https://example.org/models/my-model/', { onProgress: ({ file, loaded, total }) => … });
//   classify.backend;                     // what the worker's initBackend chose, and why
//   await classify('What a lovely day!'); // [{ label, score }]
//   classify.dispose();                   // ends the worker
import type { BackendReport } from '@albert-ts/backends';
import { disposedError, isPipelineErrorCode, PipelineError } from '../errors.js';
import type { Warn } from '../pipelines/encode.js';
import type { LoadProgress } from '../pipelines/progress.js';
import type { FromWorker, ToWorker } from './messages.js';

/** A Web Worker, or anything that talks like one (nodeWorker() adapts Node's worker_threads). */
export type WorkerLike = {
  postMessage(message: ToWorker): void;
  addEventListener(type: 'message', listener: (event: { data: FromWorker }) => void): void;
  /** An uncaught error in the worker, or (Node) its exit: every pending call fails. */
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  terminate(): void;
};

export interface WorkerPipelineOptions {
  /** Bytes of each file as the worker loads the model. */
  onProgress?: (p: LoadProgress) => void;
  /** Where the worker's one-line warnings go (default console.warn). */
  warn?: Warn;
  /** Options passed to pipeline() in the worker (batchSize, backend, task defaults, …). */
  options?: Record<string, unknown>;
}

export interface WorkerPipeline {
  /** `warn`: where this call's warnings go instead of the pipeline's. */
  (input: unknown, options?: Record<string, unknown>, warn?: Warn): Promise<unknown>;
  readonly task: string;
  /** What initBackend chose in the worker (null when the worker used an already-set backend). */
  readonly backend: BackendReport | null;
  readonly backendName: string;
  /** Ends the worker. */
  dispose(): void;
}

/** Loads `task` on `model` in `worker` (which runs servePipeline) and returns a callable pipeline. */
export function createPipelineWorker(
  worker: WorkerLike,
  task: string,
  model: string | undefined,
  options: WorkerPipelineOptions = {},
): Promise<WorkerPipeline> {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; warn?: Warn }>();
  let nextId = 0;
  let dead: PipelineError | null = null;
  return new Promise((resolveLoad, rejectLoad) => {
    const fail = (m: Extract<FromWorker, { type: 'error' }>) => {
      const err = rebuildError(m);
      if (m.id === null) rejectLoad(err);
      else pending.get(m.id)?.reject(err);
      if (m.id !== null) pending.delete(m.id);
    };
    worker.addEventListener('error', (event) => {
      dead = new PipelineError(
        'worker-failed',
        `the pipeline worker failed: ${event.message ?? 'unknown error'}; create a new pipeline`,
      );
      rejectLoad(dead);
      for (const p of pending.values()) p.reject(dead);
      pending.clear();
    });
    worker.addEventListener('message', ({ data: m }) => {
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else if (m.type === 'warn') {
        const warn = (m.id !== undefined ? pending.get(m.id)?.warn : undefined) ?? options.warn ?? console.warn;
        warn(m.message, m.detail);
      } else if (m.type === 'error') fail(m);
      else if (m.type === 'result') {
        pending.get(m.id)?.resolve(m.output);
        pending.delete(m.id);
      } else if (m.type === 'ready') {
        const call = (input: unknown, callOptions?: Record<string, unknown>, warn?: Warn) =>
          new Promise((resolve, reject) => {
            if (dead !== null) throw dead;
            const id = nextId++;
            pending.set(id, { resolve, reject, ...(warn && { warn }) });
            worker.postMessage({ type: 'run', id, input, ...(callOptions && { options: callOptions }) });
          });
        resolveLoad(
          Object.assign(call, {
            task,
            backend: m.backend,
            backendName: m.backendName,
            dispose: () => {
              worker.terminate();
              dead ??= disposedError(task);
              for (const p of pending.values()) p.reject(dead);
              pending.clear();
            },
          }),
        );
      }
    });
    worker.postMessage({ type: 'load', task, ...(model !== undefined && { model }), options: options.options ?? {} });
  });
}

/** The worker's error as a PipelineError here: its own code, or 'worker-failed' for any other error. */
function rebuildError(m: Extract<FromWorker, { type: 'error' }>): PipelineError {
  if (isPipelineErrorCode(m.code)) return new PipelineError(m.code, `${m.message} (in the pipeline worker)`);
  return new PipelineError('worker-failed', `${m.name}: ${m.message} (in the pipeline worker)`);
}
