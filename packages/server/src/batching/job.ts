// One request's work in the batching queue: its pipeline inputs, the call options every input of a
// batch must share, and what it costs the model (rows of the model input and their token length).

/** What a request costs: `rows` model input rows (a QA window, a zero-shot label, a choice…) of at most `length` tokens. */
export interface Cost {
  rows: number;
  /** Tokens of the longest row, truncated to the model's length as the pipeline truncates. */
  length: number;
  /** Real (unpadded) tokens over all rows, for the tokens/s metric. */
  tokens: number;
}

export interface Job<In = unknown, Out = unknown> {
  readonly id: number;
  readonly items: In[];
  /** Call options; only jobs with the same `key` (their canonical JSON) share a batch. */
  readonly options: Record<string, unknown>;
  readonly key: string;
  readonly cost: Cost;
  /** performance.now() when queued. */
  readonly enqueuedAt: number;
  /** Settles the caller's promise (once; later calls are ignored). */
  resolve(results: Out[]): void;
  reject(err: unknown): void;
  readonly settled: boolean;
}

/** Canonical JSON of call options (keys sorted, undefined dropped): equal options, equal keys. */
export function optionsKey(options: Record<string, unknown>): string {
  const sorted = Object.keys(options)
    .filter((k) => options[k] !== undefined)
    .sort()
    .map((k) => [k, options[k]]);
  return JSON.stringify(sorted);
}
