// The resumable data-source contract of the Trainer. A source yields batches in order and can say,
// between two batches, where it is as a JSON value; opening the data again with that value continues
// with exactly the batches an uninterrupted run would have seen. @albert-ts/pretraining's
// PretrainingCorpus fits as it is: `(state) => new PretrainingCorpus(options, state)`.

/** A stream of batches that knows its position. */
export interface ResumableSource<B, S = unknown> {
  /** The batches from the current position on. */
  batches(): AsyncIterable<B>;
  /** A JSON-serialisable position, taken between two batches. */
  getState(): S;
}

/** Opens the data: from the start (`state` undefined) or from a position `getState()` returned. */
export type DataSourceFactory<B, S = unknown> = (state: S | undefined) => ResumableSource<B, S>;
