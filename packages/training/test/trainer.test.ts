// The Trainer on a tiny AlbertForPreTraining (dropout on, batches of mixed lengths): memory over
// 200 updates, determinism for a seed, resume bit-identical to an uninterrupted run, on each backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import { serializeSafetensors, stateDict } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { NodeCheckpointStorage } from '../src/index.js';
import { tinyData, tinyModel, toInputs } from './helpers/tiny-albert.js';
import { type TinyBatch as Batch, type TinyModel, tinyTrainer } from './helpers/tiny-trainer.js';

const BACKENDS = await testBackends();
const tmp = mkdtempSync(join(tmpdir(), 'albert-ts-trainer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let runs = 0;

type Model = TinyModel;
const trainerFor = tinyTrainer;

const weights = (model: Model) => serializeSafetensors(stateDict(model.namedParameters()));

describe.each(BACKENDS)('Trainer on %s', (backend) => {
  it('keeps tf.memory().numTensors flat over 200 updates (clipping, evaluation, checkpoints)', async () => {
    await initBackend({ prefer: backend });
    const before = tf.memory().numTensors;
    const model = tinyModel();
    const evalBatch = toInputs((await tinyData(99)(undefined).batches()[Symbol.asyncIterator]().next()).value as Batch);
    const { trainer, optimizer } = trainerFor(model, {
      maxSteps: 200,
      gradientAccumulationSteps: 1,
      evaluation: {
        every: 50,
        evaluate: (m) => ({ loss: tf.tidy(() => m.forward(evalBatch).loss?.dataSync()[0] as number) }),
      },
      checkpoints: { storage: new NodeCheckpointStorage(join(tmp, `flat-${runs++}`)), every: 100, keep: 1 },
    });
    const counts = new Set<number>();
    trainer.on('step', () => counts.add(tf.memory().numTensors));
    const result = await trainer.train();
    expect(result).toMatchObject({ step: 200, reason: 'max-steps', lastCheckpoint: 'checkpoint-200' });
    expect(result.evaluations.map((e) => e.step)).toEqual([50, 100, 150, 200]);
    expect([...counts]).toHaveLength(1);
    tf.dispose(Object.values(evalBatch));
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for a seed: same seed, same weights bit for bit; another seed, other weights', async () => {
    await initBackend({ prefer: backend });
    const run = async (seed: number) => {
      const model = tinyModel();
      const { trainer, optimizer } = trainerFor(model, { seed, maxSteps: 8 });
      await trainer.train();
      const bytes = weights(model);
      model.dispose();
      optimizer.dispose();
      return bytes;
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('stopped at step 5 and resumed into a fresh model, ends bit-identical to an uninterrupted run of 10', async () => {
    await initBackend({ prefer: backend });
    const full = new NodeCheckpointStorage(join(tmp, `full-${runs++}`));
    const model = tinyModel();
    const a = trainerFor(model, { maxSteps: 10, checkpoints: { storage: full, every: 4 } });
    expect((await a.trainer.train()).lastCheckpoint).toBe('checkpoint-10');
    expect((await full.list()).sort()).toEqual(['checkpoint-10', 'checkpoint-4', 'checkpoint-8']);
    const expected = weights(model);
    model.dispose();
    a.optimizer.dispose();

    const storage = new NodeCheckpointStorage(join(tmp, `resumed-${runs++}`));
    const first = tinyModel();
    const b = trainerFor(first, { maxSteps: 10, checkpoints: { storage, every: 4 } });
    b.trainer.on('step', (e) => {
      if (e.step === 5) b.trainer.stop();
    });
    const stopped = await b.trainer.train();
    expect(stopped).toMatchObject({ step: 5, reason: 'stopped', lastCheckpoint: 'checkpoint-5' });
    first.dispose();
    b.optimizer.dispose();

    const second = tinyModel(12345); // other initial weights: everything must come from the checkpoint
    const c = trainerFor(second, { maxSteps: 10, checkpoints: { storage, every: 4 } });
    const resumed = await c.trainer.train({ resume: true });
    expect(resumed).toMatchObject({ step: 10, reason: 'max-steps', lastCheckpoint: 'checkpoint-10' });
    expect(Buffer.from(weights(second)).equals(Buffer.from(expected))).toBe(true);
    const optimizerBytes = async (s: NodeCheckpointStorage) =>
      Buffer.from(await s.read('checkpoint-10', 'optimizer.safetensors'));
    expect((await optimizerBytes(storage)).equals(await optimizerBytes(full))).toBe(true);
    second.dispose();
    c.optimizer.dispose();
  });
});
