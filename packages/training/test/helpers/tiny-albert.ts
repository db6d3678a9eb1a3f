// A tiny AlbertForPreTraining and synthetic MLM+SOP batches of mixed lengths, for the Trainer tests
// (and the kill test's child process). Dropout is on, so the dropout seeds matter.
import { AlbertConfig, SeededRandom } from '@albert-ts/core';
import { AlbertForPreTraining, batchToTensors, collateBatch, type PretrainingBatch } from '@albert-ts/pretraining';
import { arraySource } from '../../src/index.js';

export const TINY = AlbertConfig.fromJSON({
  vocab_size: 40,
  embedding_size: 8,
  hidden_size: 16,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  intermediate_size: 24,
  max_position_embeddings: 16,
  hidden_act: 'gelu_new',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  classifier_dropout_prob: 0.1,
});

export function tinyModel(seed = 1): AlbertForPreTraining {
  return new AlbertForPreTraining(TINY, { seed });
}

type Example = Parameters<typeof collateBatch>[0][number];

/** `count` random examples of 6–16 tokens: [CLS] a [SEP] b [SEP], 2 masked positions each. */
export function tinyExamples(count: number, seed = 7): Example[] {
  const rng = new SeededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  return Array.from({ length: count }, () => {
    const n = int(6, 16);
    const split = int(2, n - 3);
    const ids = Int32Array.from({ length: n }, (_, i) => (i === 0 ? 2 : i === split || i === n - 1 ? 3 : int(5, 39)));
    const types = Int32Array.from({ length: n }, (_, i) => (i > split ? 1 : 0));
    const positions = [int(1, split - 1), int(split + 1, n - 2)];
    const maskedIds = Int32Array.from(positions, (p) => ids[p] as number);
    for (const p of positions) ids[p] = 4;
    return {
      inputIds: ids,
      tokenTypeIds: types,
      tokenBoundary: new Uint8Array(n).fill(1),
      maskedPositions: Int32Array.from(positions),
      maskedIds,
      sentenceOrderLabel: int(0, 1) as 0 | 1,
    };
  });
}

/** Batches of 4 padded to their longest example (so shapes vary), reshuffled each epoch, endless. */
export function tinyData(seed = 3, examples = tinyExamples(64)) {
  return arraySource(examples, {
    batchSize: 4,
    seed,
    epochs: Number.POSITIVE_INFINITY,
    collate: (ex): PretrainingBatch => collateBatch(ex, Math.max(...ex.map((e) => e.inputIds.length)), 0),
  });
}

export const toInputs = batchToTensors;
