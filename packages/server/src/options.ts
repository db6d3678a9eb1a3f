// createServer's options, their defaults and their checks.
import type { BackendName, Pipeline, PipelineOptions, TaskName } from 'albert-ts';
import { TASKS } from 'albert-ts';
import { ServerError } from './errors.js';

export interface ServerOptions {
  /** The task to serve: POST /v1/<task>. */
  task: TaskName;
  /** A Hugging Face model folder, base URL or hub id (default: the embedded default model). */
  model?: string;
  /** An already-loaded pipeline for `task` to serve instead of loading `model` (the server disposes it on close). */
  pipeline?: Pipeline<unknown, unknown, unknown>;
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 in a container behind a load balancer). */
  host?: string;
  /** Port (default 8080; 0: any free port). */
  port?: number;
  /** Model input rows per batch (default 32). */
  maxBatchSize?: number;
  /** Padded tokens per batch, rows × the longest row (default 8192). */
  maxBatchTokens?: number;
  /**
   * What a forward pass costs beyond its padded tokens, in tokens (default 32): requests of very
   * different lengths run in separate passes when that saves more padding than a pass costs.
   * A large value (e.g. 1000000): one pass for whatever is queued, padded to its longest.
   */
  passOverheadTokens?: number;
  /** Longest wait for a batch to fill, in ms (default 5; 0: run what is there at once). */
  maxWaitMs?: number;
  /** Requests waiting for a batch; one more gets a 503 with Retry-After (default 256). */
  maxQueue?: number;
  /** A request not answered within this many ms gets a 504 (default 30000). */
  requestTimeoutMs?: number;
  /** A client must send its whole request within this many ms, or gets a 408 (default 10000). */
  readTimeoutMs?: number;
  /** Largest request body in bytes; larger gets a 413 (default 1 MiB). */
  bodyLimit?: number;
  /** Most inputs in one request (default 64). */
  maxInputs?: number;
  /** On close (SIGTERM), the longest wait for in-flight requests, in ms (default 30000). */
  drainTimeoutMs?: number;
  /** Backend(s) to initialise (default: the platform's best). */
  backend?: BackendName | BackendName[];
  /** /v1/embeddings (feature-extraction): how token vectors become one vector (default 'mean'). */
  embeddingPooling?: 'mean' | 'cls';
  /** The model name /v1/embeddings reports (default: `model`, or the task). */
  modelName?: string;
  /**
   * Run the model in a worker process (default true), so the event loop keeps reading requests, answering
   * probes and firing timeouts while a batch computes. False: in this process's thread. (A `pipeline`
   * given runs here.)
   */
  worker?: boolean;
  /** Run a small request through the model before /ready says yes (default true). */
  warmup?: boolean;
  /** Fastify's logger: false (none), true (JSON lines at info) or pino options (default true). */
  logger?: boolean | { level?: string };
  /** More pipeline() options (hub options such as revision, cacheDir, offline, token). */
  pipelineOptions?: Omit<PipelineOptions, 'batchSize' | 'backend' | 'onProgress' | 'warn'>;
}

export type ResolvedOptions = Required<
  Omit<ServerOptions, 'model' | 'pipeline' | 'backend' | 'pipelineOptions' | 'modelName'>
> &
  Pick<ServerOptions, 'model' | 'pipeline' | 'backend' | 'pipelineOptions'> & { modelName: string };

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  maxBatchSize: 32,
  maxBatchTokens: 8192,
  passOverheadTokens: 32,
  maxWaitMs: 5,
  maxQueue: 256,
  requestTimeoutMs: 30_000,
  readTimeoutMs: 10_000,
  bodyLimit: 1024 * 1024,
  maxInputs: 64,
  drainTimeoutMs: 30_000,
  embeddingPooling: 'mean',
  warmup: true,
  worker: true,
  logger: true,
} as const;

function positiveInteger(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ServerError('bad-option', `${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

export function resolveOptions(options: ServerOptions): ResolvedOptions {
  if (!TASKS.includes(options.task)) {
    throw new ServerError('bad-option', `task must be one of ${TASKS.join(', ')}, got ${JSON.stringify(options.task)}`);
  }
  if (options.pipeline !== undefined && options.pipeline.task !== options.task) {
    throw new ServerError(
      'bad-option',
      `the pipeline given is for ${options.pipeline.task}, not ${options.task}; pass a pipeline for the task served`,
    );
  }
  const o = {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as ServerOptions & typeof DEFAULTS;
  positiveInteger('port', o.port, 0);
  if (o.port > 65535) throw new ServerError('bad-option', `port must be at most 65535, got ${o.port}`);
  for (const name of [
    'maxBatchSize',
    'maxBatchTokens',
    'maxQueue',
    'requestTimeoutMs',
    'readTimeoutMs',
    'bodyLimit',
    'maxInputs',
    'drainTimeoutMs',
  ] as const) {
    positiveInteger(name, o[name]);
  }
  positiveInteger('passOverheadTokens', o.passOverheadTokens, 0);
  if (!(Number.isFinite(o.maxWaitMs) && o.maxWaitMs >= 0)) {
    throw new ServerError('bad-option', `maxWaitMs must be a number ≥ 0, got ${String(o.maxWaitMs)}`);
  }
  if (o.embeddingPooling !== 'mean' && o.embeddingPooling !== 'cls') {
    throw new ServerError(
      'bad-option',
      `embeddingPooling must be 'mean' or 'cls', got ${JSON.stringify(o.embeddingPooling)}`,
    );
  }
  return { ...o, modelName: options.modelName ?? options.model ?? options.task } as ResolvedOptions;
}
