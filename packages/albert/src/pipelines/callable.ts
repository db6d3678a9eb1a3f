// A pipeline is an async function with a few properties: call it with one input (one result) or an
// array (an array of results, in the same order); dispose() frees the model's weights.
import type { BackendReport } from '@albert-ts/backends';
import type { AlbertConfig } from '@albert-ts/core';
import { disposedError } from '../errors.js';
import type { Tokenizer } from '../tokenizer/auto-tokenizer.js';
import type { OpenedModel } from './load.js';

export interface Pipeline<In, Out, CallOptions> {
  (input: In, options?: CallOptions): Promise<Out>;
  (inputs: In[], options?: CallOptions): Promise<Out[]>;
  readonly task: string;
  readonly config: AlbertConfig;
  readonly tokenizer: Tokenizer;
  /** What initBackend chose when the pipeline initialised the backend (null: it used the current one). */
  readonly backend: BackendReport | null;
  /** Worker threads the pipeline runs in (the workers option; 1: this thread). */
  readonly workers: number;
  /** Frees the model's weights; calling the pipeline afterwards throws. */
  dispose(): void;
}

export function makePipeline<In, Out, CallOptions>(
  task: string,
  opened: OpenedModel,
  split: (input: unknown) => { items: In[]; single: boolean },
  run: (items: In[], options: CallOptions) => Promise<Out[]>,
  dispose: () => void,
): Pipeline<In, Out, CallOptions> {
  let disposed = false;
  const call = async (input: unknown, options?: CallOptions): Promise<Out | Out[]> => {
    if (disposed) throw disposedError(task);
    const { items, single } = split(input);
    const results = await run(items, options ?? ({} as CallOptions));
    return single ? (results[0] as Out) : results;
  };
  return Object.assign(call, {
    task,
    config: opened.config,
    tokenizer: opened.tokenizer,
    backend: opened.backend,
    workers: 1,
    dispose() {
      if (disposed) return;
      disposed = true;
      dispose();
    },
  }) as unknown as Pipeline<In, Out, CallOptions>;
}
