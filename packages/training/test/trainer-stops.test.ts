// The Trainer's stops: a NaN loss (stops before the update, says the step, the last checkpoint is
// whole) and early stopping (Hugging Face EarlyStoppingCallback rules, state kept across resume).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import { serializeSafetensors, stateDict } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeCheckpointStorage, NonFiniteLossError, readCheckpoint, SGD, Trainer } from '../src/index.js';
import { tinyData, tinyModel, toInputs } from './helpers/tiny-albert.js';
import { type TinyBatch, tinyTrainer } from './helpers/tiny-trainer.js';

const tmp = mkdtempSync(join(tmpdir(), 'albert-ts-stops-'));
beforeAll(() => initBackend({ prefer: 'cpu' }));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('NaN/Inf detection', () => {
  it('stops at the update whose loss is NaN, without applying it; checkpoint-6 stays whole; no leak', async () => {
    const before = tf.memory().numTensors;
    const model = tinyModel();
    // The 7th update's batch carries a NaN factor on the loss (a poisoned batch).
    let batches = 0;
    const poisoned = {
      config: model.config,
      namedParameters: () => model.namedParameters(),
      forward: (
        inputs: ReturnType<typeof toInputs> & { scale: tf.Scalar },
        options: { training: boolean; seed: number },
      ) => {
        const out = model.forward(inputs, options);
        return { loss: tf.mul(out.loss as tf.Scalar, inputs.scale) as tf.Scalar };
      },
    };
    const storage = new NodeCheckpointStorage(join(tmp, 'nan'));
    const optimizer = new SGD({ momentum: 0.9 });
    const trainer = new Trainer({
      model: poisoned,
      optimizer,
      learningRate: 0.01,
      data: tinyData(),
      toInputs: (b: TinyBatch) => ({ ...toInputs(b), scale: tf.scalar(++batches === 7 ? Number.NaN : 1) }),
      checkpoints: { storage, every: 3, architecture: 'AlbertForPreTraining' },
    });
    const stops: unknown[] = [];
    trainer.on('stop', (e) => stops.push([e.reason, e.step]));
    const error = await trainer.train().catch((e: unknown) => e);
    expect(stops).toEqual([['non-finite', 6]]);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).step).toBe(7);
    expect((error as NonFiniteLossError).lastCheckpoint).toBe('checkpoint-6');
    expect((error as Error).message).toMatch(
      /^Training stopped at step 7: the loss is NaN\. The update was not applied; the last good checkpoint is checkpoint-6 in folder .*nan\./,
    );
    expect((await storage.list()).sort()).toEqual(['checkpoint-3', 'checkpoint-6']);
    const six = await readCheckpoint(storage, 'checkpoint-6');
    expect(six.trainerState.globalStep).toBe(6);
    const inMemory = serializeSafetensors(stateDict(model.namedParameters()));
    expect(Buffer.from(inMemory).equals(Buffer.from(await storage.read('checkpoint-6', 'model.safetensors')))).toBe(
      true,
    );
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('early stopping', () => {
  // Metric per evaluation (every 2 updates), patience 2, threshold 0.001, 'min':
  // step 2: 3 (best) · 4: 2 (better) · 6: 2.5 (1 without) · 8: 1.9999 (better by < threshold: 2 without → stop).
  const LOSSES = [3, 2, 2.5, 1.9999, 1];
  const options = (storage: NodeCheckpointStorage) => ({
    maxSteps: 20,
    evaluation: { every: 2, evaluate: (_m: unknown, step: number) => ({ loss: LOSSES[step / 2 - 1] as number }) },
    earlyStopping: { metric: 'loss', patience: 2, threshold: 0.001 },
    checkpoints: { storage },
  });

  it('stops as Hugging Face EarlyStoppingCallback does, and resumes with its state', async () => {
    const model = tinyModel();
    const storage = new NodeCheckpointStorage(join(tmp, 'early'));
    const a = tinyTrainer(model, options(storage));
    const result = await a.trainer.train();
    expect(result).toMatchObject({
      step: 8,
      reason: 'early-stopping',
      bestMetric: 1.9999,
      bestStep: 8,
      lastCheckpoint: 'checkpoint-8',
    });
    expect(result.evaluations).toEqual(
      [2, 3, 4]
        .map((_, i) => ({ step: 2 * (i + 1), metrics: { loss: LOSSES[i] } }))
        .concat([{ step: 8, metrics: { loss: 1.9999 } }]),
    );
    model.dispose();
    a.optimizer.dispose();

    // Interrupted at step 6 (one evaluation without improvement so far) and resumed: same stop.
    const other = new NodeCheckpointStorage(join(tmp, 'early-resumed'));
    const first = tinyModel();
    const b = tinyTrainer(first, options(other));
    b.trainer.on('step', (e) => e.step === 6 && b.trainer.stop());
    expect(await b.trainer.train()).toMatchObject({ step: 6, reason: 'stopped' });
    first.dispose();
    b.optimizer.dispose();
    const second = tinyModel();
    const c = tinyTrainer(second, options(other));
    const resumed = await c.trainer.train({ resume: true });
    expect(resumed).toMatchObject({ step: 8, reason: 'early-stopping', bestMetric: 1.9999, bestStep: 8 });
    expect(resumed.evaluations.map((e) => e.step)).toEqual([2, 4, 6, 8]);
    second.dispose();
    c.optimizer.dispose();
  });
});
