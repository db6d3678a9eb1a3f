// Resuming any deterministic async iterable: the position is the number of batches taken, and a
// resumed source reads the stream again from its start and skips that many. Right for data that is
// cheap to re-read; a source with its own state (PretrainingCorpus) resumes without re-reading.
import { TrainingError } from '../errors.js';
import type { DataSourceFactory } from './data-source.js';

export type ReplaySourceState = { version: 1; batches: number };

/** `open()` must yield the same batches, as plain data, every time it is called. */
export function replaySource<B>(open: () => AsyncIterable<B>): DataSourceFactory<B, ReplaySourceState> {
  return (state) => {
    if (state != null && !(state.version === 1 && Number.isInteger(state.batches) && state.batches >= 0)) {
      throw new TrainingError(`replaySource: the saved position ${JSON.stringify(state)} is not a batch count.`);
    }
    let taken = state?.batches ?? 0;
    return {
      getState: () => ({ version: 1, batches: taken }),
      async *batches() {
        let seen = 0;
        for await (const batch of open()) {
          if (seen++ < taken) continue;
          taken++;
          yield batch;
        }
        if (seen < taken) {
          throw new TrainingError(
            `replaySource: the saved position is batch ${taken} but the data now has only ${seen} batches; it changed since the checkpoint.`,
          );
        }
      },
    };
  };
}
