// A resumable source over examples held in memory (a fine-tuning set): reshuffled every epoch from
// the seed (Fisher-Yates with core's SeededRandom), cut into batches, `collate`d. Its state is the
// epoch and the position in that epoch's order, so a resumed run sees the same batches.
import { deriveSeed, SeededRandom } from '@albert-ts/core';
import { TrainingError } from '../errors.js';
import type { DataSourceFactory, ResumableSource } from './data-source.js';

export interface ArraySourceOptions<T, B> {
  batchSize: number;
  /** Makes one batch of examples (e.g. pads them into typed arrays). */
  collate: (examples: T[]) => B;
  /** Reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffles (default 0). */
  seed?: number;
  /** Passes over the examples (default 1; Infinity for as many as the Trainer asks for). */
  epochs?: number;
  /** Drop an epoch's last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /**
   * Group examples of similar length into batches (Hugging Face's `group_by_length`): the shuffled
   * order is cut into mega-batches of 50 batches, each sorted by this length and cut into batches
   * whose order is shuffled again. Padding to the longest of a batch then wastes little.
   */
  length?: (example: T) => number;
}

/** Batches per mega-batch when grouping by length (as Hugging Face's LengthGroupedSampler). */
export const MEGA_BATCH = 50;

export type ArraySourceState = { version: 1; epoch: number; index: number };

/** The order of the examples in `epoch`: identity without shuffling, else a seeded permutation. */
export function epochOrder(length: number, epoch: number, seed: number, shuffle: boolean): Int32Array {
  const order = new Int32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  if (!shuffle) return order;
  const rng = new SeededRandom(deriveSeed(seed, `shuffle/${epoch}`));
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/**
 * `order` regrouped by length: each run of MEGA_BATCH × batchSize positions sorted by `lengths`
 * (stable), cut into batches, and the batches of the run put in a seeded random order.
 */
export function groupByLength(
  order: Int32Array,
  lengths: ArrayLike<number>,
  batchSize: number,
  seed: number,
  epoch: number,
): Int32Array {
  const out = new Int32Array(order.length);
  const rng = new SeededRandom(deriveSeed(seed, `group-by-length/${epoch}`));
  const mega = MEGA_BATCH * batchSize;
  for (let start = 0; start < order.length; start += mega) {
    const run = Array.from(order.subarray(start, Math.min(start + mega, order.length)));
    run.sort((a, b) => (lengths[b] as number) - (lengths[a] as number));
    const batches: number[][] = [];
    for (let i = 0; i < run.length; i += batchSize) batches.push(run.slice(i, i + batchSize));
    // the last (shortest, maybe partial) batch stays last so only an epoch's final batch is partial
    for (let i = batches.length - 2; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [batches[i], batches[j]] = [batches[j] as number[], batches[i] as number[]];
    }
    out.set(batches.flat(), start);
  }
  return out;
}

export function arraySource<T, B>(
  examples: readonly T[],
  options: ArraySourceOptions<T, B>,
): DataSourceFactory<B, ArraySourceState> {
  const { batchSize, collate } = options;
  const shuffle = options.shuffle ?? true;
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 1;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new TrainingError(`arraySource: batchSize must be a positive integer (got ${batchSize}).`);
  }
  if (!(epochs === Number.POSITIVE_INFINITY || (Number.isInteger(epochs) && epochs >= 1))) {
    throw new TrainingError(`arraySource: epochs must be a positive integer or Infinity (got ${epochs}).`);
  }
  if (examples.length === 0) throw new TrainingError('arraySource: there are no examples.');
  const lengths = options.length == null ? null : Int32Array.from(examples, options.length);
  return (state): ResumableSource<B, ArraySourceState> => {
    if (state != null && !(state.version === 1 && state.index >= 0 && state.index <= examples.length)) {
      throw new TrainingError(
        `arraySource: the saved position ${JSON.stringify(state)} does not fit ${examples.length} examples; resume with the data of the run that saved it.`,
      );
    }
    let epoch = state?.epoch ?? 0;
    let index = state?.index ?? 0;
    return {
      getState: () => ({ version: 1, epoch, index }),
      async *batches() {
        while (epoch < epochs) {
          const shuffled = epochOrder(examples.length, epoch, seed, shuffle);
          const order = lengths == null ? shuffled : groupByLength(shuffled, lengths, batchSize, seed, epoch);
          while (index < examples.length) {
            const end = Math.min(index + batchSize, examples.length);
            if (end - index < batchSize && options.dropLast) break;
            const batch = collate(Array.from(order.subarray(index, end), (i) => examples[i] as T));
            index = end;
            yield batch;
          }
          epoch++;
          index = 0;
        }
      },
    };
  };
}
