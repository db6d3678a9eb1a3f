// The pretraining data from TFRecord shards (prepare-data's, or create_pretraining_data.py's):
// the shards in a seeded order per epoch, examples in file order, padded batches. Its state is
// (epoch, file, record): resuming re-reads the current file up to that record.
import {
  collateBatch,
  decodeExample,
  deriveSeed,
  type PretrainingBatch,
  type PretrainingExample,
  readExamplesTFRecord,
  readTFRecordFile,
} from '@albert-ts/pretraining';
import type { DataSourceFactory, ResumableSource } from '@albert-ts/training';
import { ConfigMismatchError, CorpusTooSmallError } from '../errors.js';

export type TFRecordSourceState = { epoch: number; file: number; record: number };

export interface TFRecordSourceOptions {
  files: string[];
  batchSize: number;
  seqLength: number;
  seed: number;
  epochs: number;
  padId: number;
}

/** Seeded Fisher–Yates order of the files for one epoch (the first epoch too). */
function fileOrder(n: number, seed: number, epoch: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = deriveSeed(seed, epoch, i) % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

export function tfrecordSource(options: TFRecordSourceOptions): DataSourceFactory<PretrainingBatch> {
  return (saved) => {
    const state: TFRecordSourceState = {
      ...((saved as TFRecordSourceState | undefined) ?? { epoch: 0, file: 0, record: 0 }),
    };
    async function* examples(): AsyncGenerator<PretrainingExample> {
      for (; state.epoch < options.epochs; state.epoch++, state.file = 0) {
        const order = fileOrder(options.files.length, options.seed, state.epoch);
        for (; state.file < order.length; state.file++, state.record = 0) {
          let index = 0;
          for await (const e of readExamplesTFRecord(options.files[order[state.file] as number] as string)) {
            if (index++ < state.record) continue;
            state.record++;
            yield e;
          }
        }
      }
    }
    const source: ResumableSource<PretrainingBatch, TFRecordSourceState> = {
      async *batches() {
        let pending: PretrainingExample[] = [];
        for await (const e of examples()) {
          pending.push(e);
          if (pending.length === options.batchSize) {
            const batch = collateBatch(pending, options.seqLength, options.padId);
            pending = [];
            yield batch;
          }
        }
      },
      // Taken between batches: every example before this position is in a yielded batch.
      getState: () => ({ ...state }),
    };
    return source;
  };
}

/** The fixed sequence length and prediction count of a shard (from its first record). */
export async function tfrecordShape(
  file: string,
): Promise<{ maxSeqLength: number; maxPredictionsPerSeq: number; records: number }> {
  let first: { maxSeqLength: number; maxPredictionsPerSeq: number } | null = null;
  let records = 0;
  for await (const raw of readTFRecordFile(file)) {
    if (first == null) {
      const f = decodeExample(raw, `${file} record 0`);
      const ids = f.get('input_ids');
      const positions = f.get('masked_lm_positions');
      if (ids?.kind !== 'int64' || positions?.kind !== 'int64') {
        throw new ConfigMismatchError(
          `${file} is not an ALBERT pretraining TFRecord (no int64 input_ids / masked_lm_positions).`,
        );
      }
      first = { maxSeqLength: ids.values.length, maxPredictionsPerSeq: positions.values.length };
    }
    records++;
  }
  if (first == null) throw new CorpusTooSmallError(`${file} holds no records.`);
  return { ...first, records };
}
