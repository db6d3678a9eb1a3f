// The loading every pipeline shares: pick the backend, open the model folder once, read config.json,
// check that its architecture fits the task, load the tokenizer (before any weights, so a folder
// without one fails with nothing allocated).
import { type BackendName, type BackendReport, initBackend } from '@albert-ts/backends';
import {
  AlbertConfig,
  type ModelDtype,
  type ModelSource,
  type OpenModelSourceOptions,
  openModelSource,
} from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { PipelineError } from '../errors.js';
import { AutoTokenizer, type Tokenizer } from '../tokenizer/auto-tokenizer.js';
import { defaultModelFor } from './default-model.js';
import type { Warn } from './encode.js';
import { positiveInt } from './inputs.js';
import { type LoadProgress, progressFetch, reportingSource } from './progress.js';

export interface PipelineOptions extends Omit<OpenModelSourceOptions, 'onProgress'> {
  /** Inputs per forward pass (default 8). Inputs are sorted by length first; each batch is padded to its own longest. */
  batchSize?: number;
  /** Backend(s) to initialise (see initBackend). Default: the current one, or the platform's best when none is set. */
  backend?: BackendName | BackendName[];
  /** A tokenizer to use instead of the model folder's. */
  tokenizer?: Tokenizer;
  /** Bytes of each file as the model loads. */
  onProgress?: (p: LoadProgress) => void;
  /** Where one-line warnings go (truncated inputs, fresh heads). Default console.warn. */
  warn?: Warn;
  /**
   * Storage of the encoder's Linear weights: 'fp32' (default), 'q8' (int8) or 'bf16', packed at
   * load time (@albert-ts/core's AlbertModel dtype); backends without the kernels run fp32 with a warning.
   */
  dtype?: ModelDtype;
  /**
   * Native backend: compute threads for work from this JS thread (initBackend's `threads`; 1 = this
   * thread alone). Default: one per core, or ALBERT_TS_NATIVE_THREADS.
   */
  threads?: number;
  /**
   * Node only: run the pipeline in this many worker threads, each with its own copy of the model
   * computing on one thread ('auto': one per core). An array of inputs is cut into length-sorted
   * batches that go to whichever worker is free; results come back in the caller's order. Measured
   * on 2 cores (README "Measured", three runs), against one two-threaded model: 7-8% faster at batch 8, 0-4% at
   * 32, 2-12% slower at batch 1; one copy of the weights per worker. Default 1: the pipeline runs in this
   * thread. Needs a model given by name (folder, URL or hub id) and no function options other than
   * onProgress and warn.
   */
  workers?: number | 'auto';
}

export interface OpenedModel {
  source: ModelSource;
  /** Inputs per forward pass (the batchSize option, checked). */
  batchSize: number;
  config: AlbertConfig;
  tokenizer: Tokenizer;
  /** Longest input the model takes, in tokens: max_position_embeddings, or the tokenizer's model_max_length when smaller. */
  maxLength: number;
  /** What initBackend chose, when the pipeline initialised the backend. */
  backend: BackendReport | null;
  warn: Warn;
  /** The dtype option (default 'fp32'). */
  dtype: ModelDtype;
}

function backendIsSet(): boolean {
  return (tf.engine() as unknown as { backendName: string | null }).backendName != null;
}

/** Opens `model` (folder, URL, hub id or ModelSource) for `task`; `fits` says which architectures it takes. */
export async function openForTask(
  task: string,
  model: string | ModelSource | undefined,
  options: PipelineOptions,
  fits: readonly string[] | 'any',
): Promise<OpenedModel> {
  positiveInt(options.batchSize, 'batchSize', task, 8);
  const threads = options.threads === undefined ? undefined : positiveInt(options.threads, 'threads', task, 1);
  const backend =
    options.backend != null || threads != null
      ? await initBackend({
          prefer: options.backend ?? (backendIsSet() ? (tf.getBackend() as BackendName) : undefined),
          ...(threads != null && { threads }),
        })
      : backendIsSet()
        ? null
        : await initBackend();
  return { ...(await openModelFiles(task, model, options, fits)), backend };
}

/** openForTask without the backend: the model's config and tokenizer (no weights, no tensors). */
export async function openModelFiles(
  task: string,
  model: string | ModelSource | undefined,
  options: PipelineOptions,
  fits: readonly string[] | 'any',
): Promise<Omit<OpenedModel, 'backend'>> {
  const warn = options.warn ?? ((m: string) => console.warn(m));
  const batchSize = positiveInt(options.batchSize, 'batchSize', task, 8);
  const {
    batchSize: _b,
    backend: _be,
    threads: _t,
    workers: _wk,
    tokenizer: given,
    onProgress,
    warn: _w,
    dtype,
    ...sourceOptions
  } = options;
  const name = model ?? (await defaultModelFor(task));
  let source: ModelSource;
  if (typeof name === 'string') {
    const fetcher = options.fetch ?? globalThis.fetch;
    source = await openModelSource(name, {
      ...sourceOptions,
      ...(onProgress && fetcher != null && { fetch: progressFetch(fetcher.bind(globalThis), onProgress) }),
    });
  } else {
    source = name;
  }
  if (onProgress) source = reportingSource(source, onProgress);
  const config = AlbertConfig.fromJSONString(await source.readText('config.json'));
  checkArchitecture(task, config, fits, source.description);
  const tokenizer = given ?? (await AutoTokenizer.fromPretrained(source));
  const maxLength = Math.min(config.maxPositionEmbeddings, tokenizer.modelMaxLength ?? Number.POSITIVE_INFINITY);
  return { source, batchSize, config, tokenizer, maxLength, warn, dtype: dtype ?? 'fp32' };
}

function checkArchitecture(task: string, config: AlbertConfig, fits: readonly string[] | 'any', where: string): void {
  const names = config.architectures ?? [];
  if (fits === 'any') {
    const foreign = names.filter((n) => !n.startsWith('Albert'));
    if (names.length > 0 && foreign.length === names.length) {
      throw new PipelineError(
        'wrong-architecture',
        `${task}: ${where} holds ${names.join(', ')}, not an ALBERT model; pass an ALBERT model folder`,
      );
    }
    return;
  }
  if (names.some((n) => fits.includes(n))) return;
  throw new PipelineError(
    'wrong-architecture',
    `${task}: ${where} holds ${names.length === 0 ? 'a model with no "architectures" in config.json' : names.join(', ')}, ` +
      `but ${task} needs ${fits.join(' or ')}. Pass a model fine-tuned for ${task}` +
      (names.length === 0 ? ` (or add "architectures": ["${fits[0]}"] to its config.json)` : '') +
      '.',
  );
}
