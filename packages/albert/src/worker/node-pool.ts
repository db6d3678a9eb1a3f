// pipeline(task, model, { workers: n }) in Node: n worker threads, each with its own copy of the
// model computing on one native thread. This thread checks the input (the same errors as in-process),
// sorts the items by length, cuts them into batches (lengthSortedBatches) and gives each batch to
// whichever worker is free; the results come back in the caller's order, a call's truncation
// warnings as one line. A single-threaded model needs no synchronisation inside each product but
// streams all of a layer's weights, where one model on two cores keeps half in each core's L3: on 2
// cores +7-8% at batch 8, 0-4% at 32, -2 to -12% at batch 1 (`pnpm bench pipeline`); one copy of the
// weights per worker.
import type { ModelSource } from '@albert-ts/core';
import { disposedError, PipelineError } from '../errors.js';
import { lengthSortedBatches } from '../pipelines/batches.js';
import type { Pipeline } from '../pipelines/callable.js';
import { truncationMessage, type Warn } from '../pipelines/encode.js';
import { describe } from '../pipelines/inputs.js';
import { openModelFiles, type PipelineOptions } from '../pipelines/load.js';
import type { TaskName } from '../pipelines/pipeline.js';
import { TASK_INPUTS } from '../pipelines/task-inputs.js';
import { createPipelineWorker, type WorkerLike, type WorkerPipeline } from './worker-client.js';

// Computed specifiers: bundlers for the browser leave these Node-only imports alone.
const WORKER_THREADS = 'node:worker_threads';
const NODE_OS = 'node:os';

type NodeWorker = {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
};

/** A worker_threads Worker as the WorkerLike that createPipelineWorker talks to. */
export function nodeWorker(worker: NodeWorker): WorkerLike {
  let ended = false;
  return {
    postMessage: (message) => worker.postMessage(message),
    addEventListener: ((type: 'message' | 'error', listener: (event: unknown) => void) => {
      if (type === 'message') worker.on('message', (data) => listener({ data }));
      else {
        worker.on('error', (err) => listener({ message: err.message }));
        worker.on('exit', (code) => {
          if (!ended) listener({ message: `the worker thread exited (code ${code})` });
        });
      }
    }) as WorkerLike['addEventListener'],
    terminate: () => {
      ended = true;
      void worker.terminate();
    },
  };
}

/** A worker thread running node-worker: the compiled .js beside this file, or from source (vitest, tsx) the .ts through tsx. */
async function startWorker(): Promise<NodeWorker> {
  const { Worker } = (await import(/* @vite-ignore */ WORKER_THREADS)) as {
    Worker: new (script: string | URL, options?: Record<string, unknown>) => NodeWorker;
  };
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./node-worker.js', here));
  const entry = JSON.stringify(new URL('./node-worker.ts', here).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`, {
    eval: true,
    execArgv: ['--conditions=@albert-ts/source'],
  });
}

async function workerCount(workers: PipelineOptions['workers'], task: string): Promise<number> {
  if (workers === 'auto') {
    const { availableParallelism } = (await import(/* @vite-ignore */ NODE_OS)) as typeof import('node:os');
    return availableParallelism();
  }
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new PipelineError(
      'bad-option',
      `${task}: workers must be an integer from 1 to 64 or 'auto', got ${describe(workers)}`,
    );
  }
  return workers;
}

/** Characters of every string in an item (a string, or the strings in an object's fields and arrays). */
function characters(item: unknown): number {
  if (typeof item === 'string') return item.length;
  if (Array.isArray(item)) return item.reduce((n: number, v) => n + characters(v), 0);
  if (item != null && typeof item === 'object') return characters(Object.values(item));
  return 0;
}

/**
 * A batch's error in the caller's terms: the errors a pipeline raises while running (fill-mask without
 * [MASK], a question leaving no room, …) name `input [j]` of the batch, which is the caller's
 * `input [batch[j]]`.
 */
function inCallerTerms(err: unknown, batch: readonly number[]): unknown {
  if (!(err instanceof PipelineError)) return err;
  const message = err.message.replace(/\binput \[(\d+)\]/g, (_, j: string) => `input [${batch[Number(j)] ?? j}]`);
  return message === err.message ? err : new PipelineError(err.code, message);
}

/** pipeline(task, model, options) with options.workers: the pipeline in worker threads (Node only). */
export async function workerPipeline(
  task: TaskName,
  model: string | ModelSource | undefined,
  options: PipelineOptions,
): Promise<Pipeline<unknown, unknown, Record<string, unknown>>> {
  if (typeof process === 'undefined' || process.versions?.node == null) {
    throw new PipelineError(
      'bad-option',
      `${task}: the workers option is for Node.js; in a browser, run the pipeline in a Web Worker with createPipelineWorker`,
    );
  }
  const n = await workerCount(options.workers, task);
  if (model != null && typeof model !== 'string') {
    throw new PipelineError(
      'bad-option',
      `${task}: with workers, pass the model by name (a folder, a URL or a hub id): a ModelSource object cannot be sent to a worker thread`,
    );
  }
  for (const name of ['tokenizer', 'fetch'] as const) {
    if (options[name] != null) {
      throw new PipelineError(
        'bad-option',
        `${task}: with workers, the ${name} option cannot be sent to a worker thread; ` +
          (name === 'tokenizer'
            ? "put the tokenizer's files (spiece.model or tokenizer.json, tokenizer_config.json) in the model folder"
            : 'leave fetch out (each worker uses the global fetch and the hub cache)'),
      );
    }
  }
  // Here: the config and tokenizer (no weights), so a bad folder fails before any worker starts.
  const opened = await openModelFiles(task, model, options, 'any');
  const { workers: _w, onProgress, warn: _warn, tokenizer: _t, fetch: _f, ...plain } = options;
  const workerOptions = { ...plain, threads: options.threads ?? 1 };
  const raw: NodeWorker[] = [];
  const loads = await Promise.allSettled(
    Array.from({ length: n }, async (_, i) => {
      const worker = await startWorker();
      raw.push(worker);
      return createPipelineWorker(nodeWorker(worker), task, model, {
        options: workerOptions,
        warn: opened.warn,
        ...(i === 0 && onProgress && { onProgress }), // every worker reads the same files: report them once
      });
    }),
  );
  const failed = loads.find((l) => l.status === 'rejected');
  if (failed !== undefined) {
    for (const w of raw) void w.terminate();
    throw failed.reason;
  }
  const pipes = loads.map((l) => (l as PromiseFulfilledResult<WorkerPipeline>).value);
  // Idle workers do not keep the process alive; a call in flight does.
  let inFlight = 0;
  const track = async <T>(work: Promise<T>): Promise<T> => {
    if (inFlight++ === 0) for (const w of raw) w.ref();
    try {
      return await work;
    } finally {
      if (--inFlight === 0) for (const w of raw) w.unref();
    }
  };
  for (const w of raw) w.unref();

  const split = TASK_INPUTS[task];
  const busy = new Int32Array(n); // calls in flight per worker
  let disposed = false;
  const call = async (input: unknown, callOptions?: Record<string, unknown>): Promise<unknown> => {
    if (disposed) throw disposedError(task);
    const { items, single } = split(input);
    if (single) {
      const k = busy.indexOf(Math.min(...busy)); // the least busy worker
      busy[k] = (busy[k] as number) + 1;
      try {
        return await track((pipes[k] as WorkerPipeline)(input, callOptions));
      } finally {
        busy[k] = (busy[k] as number) - 1;
      }
    }
    const lengths = items.map((it) =>
      typeof it === 'string' ? opened.tokenizer.encode(it).inputIds.length : characters(it),
    );
    const batches = lengthSortedBatches(lengths, opened.batchSize);
    const out = new Array<unknown>(items.length);
    // the batches' truncation warnings, merged into the one line an in-process call gives; any other
    // warning once per call (each batch would repeat a warning about the call's options)
    const truncated: [number, number][] = [];
    let maxLength = 0;
    const said = new Set<string>();
    let next = 0;
    let error: unknown = null;
    const drain = async (k: number) => {
      const pipe = pipes[k] as WorkerPipeline;
      while (next < batches.length && error === null) {
        const batch = batches[next++] as number[];
        const warn: Warn = (message, detail) => {
          if (detail === undefined) {
            if (!said.has(message)) opened.warn(message);
            said.add(message);
            return;
          }
          for (const [j, tokens] of detail.truncated) truncated.push([batch[j] as number, tokens]);
          maxLength = detail.maxLength;
        };
        busy[k] = (busy[k] as number) + 1;
        try {
          const results = (await pipe(
            batch.map((i) => items[i]),
            callOptions,
            warn,
          )) as unknown[];
          batch.forEach((i, j) => {
            out[i] = results[j];
          });
        } catch (err) {
          error ??= inCallerTerms(err, batch);
        } finally {
          busy[k] = (busy[k] as number) - 1;
        }
      }
    };
    await track(Promise.all(pipes.map((_, k) => drain(k))));
    if (error !== null) throw error;
    if (truncated.length > 0) {
      truncated.sort((a, b) => a[0] - b[0]);
      opened.warn(truncationMessage(task, truncated, maxLength), { truncated, maxLength });
    }
    return out;
  };
  return Object.assign(call, {
    task,
    config: opened.config,
    tokenizer: opened.tokenizer,
    backend: (pipes[0] as WorkerPipeline).backend,
    workers: n,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const p of pipes) p.dispose();
    },
  }) as unknown as Pipeline<unknown, unknown, Record<string, unknown>>;
}
