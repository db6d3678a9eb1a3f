// What runs the model for the server: a pipeline in a worker process (the default: the event loop
// stays free while a batch computes) or a pipeline already loaded in this process.
import type { Tokenizer } from 'albert-ts';

export interface ModelRunner {
  /** The model's tokenizer, on the server's thread (request costs for batching). */
  tokenizer: Tokenizer;
  hiddenSize: number;
  maxPositionEmbeddings: number;
  /** The backend the model computes on. */
  backend: string;
  run(items: unknown[], options: Record<string, unknown>): Promise<unknown[]>;
  dispose(): Promise<void>;
  /** Stops the model at once, its running batch abandoned (the model process: SIGKILL). Absent: it cannot be interrupted. */
  kill?(): Promise<void>;
}
