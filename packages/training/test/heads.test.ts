// The Trainer with a task model of @albert-ts/heads (AlbertForSequenceClassification): it trains on
// a toy task, and its checkpoint folder loads back through fromPretrained with the same logits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import { AlbertConfig, SeededRandom } from '@albert-ts/core';
import { AlbertForSequenceClassification } from '@albert-ts/heads';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arraySource, NodeCheckpointStorage, SGD, Trainer } from '../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'albert-ts-heads-'));
beforeAll(() => initBackend({ prefer: 'cpu' }));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// 32 sequences of 8 ids from 5..19 after [CLS]; label 1 when id 7 occurs.
const rng = new SeededRandom(4);
const examples = Array.from({ length: 32 }, (_, i) => {
  const ids = [2, ...Array.from({ length: 7 }, () => 8 + Math.floor(rng.uniform() * 12))];
  if (i % 2 === 0) ids[1 + Math.floor(rng.uniform() * 7)] = 7;
  return { ids, label: i % 2 === 0 ? 1 : 0 };
});
type Example = (typeof examples)[number];
const toInputs = (batch: Example[]) => ({
  inputIds: tf.tensor2d(
    batch.map((e) => e.ids),
    [batch.length, 8],
    'int32',
  ),
  labels: tf.tensor1d(
    batch.map((e) => e.label),
    'int32',
  ),
});

describe('Trainer with AlbertForSequenceClassification', () => {
  it('trains it and writes a folder that fromPretrained loads with the same logits', async () => {
    const config = AlbertConfig.fromJSON({
      vocab_size: 20,
      embedding_size: 8,
      hidden_size: 16,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      intermediate_size: 32,
      max_position_embeddings: 8,
      num_labels: 2,
    });
    const model = new AlbertForSequenceClassification(config, { seed: 3 });
    const storage = new NodeCheckpointStorage(join(tmp, 'cls'));
    const optimizer = new SGD({ momentum: 0.9 });
    const trainer = new Trainer({
      model,
      optimizer,
      learningRate: 0.1,
      data: arraySource(examples, { batchSize: 8, seed: 1, epochs: 25, collate: (b) => b }),
      toInputs,
      checkpoints: { storage },
    });
    const losses: number[] = [];
    trainer.on('step', (e) => losses.push(e.loss));
    const result = await trainer.train();
    expect(result).toMatchObject({ step: 100, reason: 'data-exhausted', lastCheckpoint: 'checkpoint-100' });
    expect(losses.every(Number.isFinite)).toBe(true);

    const loaded = await AlbertForSequenceClassification.fromPretrained(await storage.path('checkpoint-100'), {
      warn: (m) => {
        throw new Error(m);
      },
    });
    const inputs = toInputs(examples);
    const a = tf.tidy(() => model.forward({ inputIds: inputs.inputIds }).logits.dataSync());
    const b = tf.tidy(() => loaded.forward({ inputIds: inputs.inputIds }).logits.dataSync());
    expect(Array.from(b)).toEqual(Array.from(a));
    tf.dispose(Object.values(inputs));
    loaded.dispose();
    model.dispose();
    optimizer.dispose();
  });
});
