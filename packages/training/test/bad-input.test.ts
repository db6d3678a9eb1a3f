// Bad input gets a clear error naming the problem: impossible options, a warmup longer than
// training, a freeze rule matching no parameter, a model without a loss, and on resume a missing
// checkpoint, a corrupt or mismatched optimizer-state file, options that differ from the run's.
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import { AlbertError } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  albertSchedule,
  NodeCheckpointStorage,
  ScheduleError,
  TrainingCheckpointError,
  TrainingError,
} from '../src/index.js';
import { tinyModel, toInputs } from './helpers/tiny-albert.js';
import { type TinyModel, tinyTrainer } from './helpers/tiny-trainer.js';

const tmp = mkdtempSync(join(tmpdir(), 'albert-ts-bad-input-'));
let model: TinyModel;
let storage: NodeCheckpointStorage;
beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
  model = tinyModel();
  // One short run with checkpoints to resume from (checkpoint-2, checkpoint-4).
  storage = new NodeCheckpointStorage(join(tmp, 'run'));
  const { trainer, optimizer } = tinyTrainer(model, { maxSteps: 4, checkpoints: { storage, every: 2 } });
  await trainer.train();
  optimizer.dispose();
});
afterAll(() => {
  model.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

describe('Trainer options', () => {
  it.each([
    [{ maxSteps: 0 }, /maxSteps must be a positive integer \(got 0\)/],
    [{ gradientAccumulationSteps: 1.5 }, /gradientAccumulationSteps must be a positive integer \(got 1.5\)/],
    [{ maxGradNorm: -1 }, /maxGradNorm must be a finite number > 0, or null for no clipping \(got -1\)/],
    [{ learningRate: 0 }, /learningRate must be a finite number > 0 \(got 0\)/],
    [{ learningRate: -1e-3 }, /learningRate must be a finite number > 0 \(got -0.001\)/],
    [
      { learningRate: Object.assign(() => 1e-3, { warmupSteps: 100, totalSteps: 1000 }), maxSteps: 50 },
      /the schedule warms up for 100 steps but training stops after maxSteps 50/,
    ],
    [
      { learningRate: Object.assign(() => 1e-3, { warmupSteps: 10, totalSteps: 40 }), maxSteps: 50 },
      /the schedule ends at step 40 but maxSteps is 50/,
    ],
    [
      { freeze: ['albert.pooler.weight', /^albert\.encoder\.nothing/] },
      /freeze rule \/\^albert\\.encoder\\.nothing\/ matches no parameter/,
    ],
    [{ freeze: [/./] }, /no parameter is left to train/],
    [{ earlyStopping: { metric: 'loss', patience: 2 } }, /earlyStopping needs evaluation/],
    [
      { checkpoints: { storage: new NodeCheckpointStorage(tmp), keep: 0 } },
      /checkpoints.keep must be a positive integer or Infinity \(got 0\)/,
    ],
  ] as const)('%j is rejected', (options, message) => {
    const attempt = () => tinyTrainer(model, options as never);
    expect(attempt).toThrow(TrainingError);
    expect(attempt).toThrow(message);
  });

  it("ALBERT's schedule with a warmup longer than training (before any Trainer exists)", () => {
    expect(() => albertSchedule({ peak: 1e-3, warmupSteps: 100, totalSteps: 50 })).toThrow(ScheduleError);
  });

  it('a model whose forward gives no loss (no labels): says what toInputs must give', async () => {
    const { trainer, optimizer } = tinyTrainer(model, {
      maxSteps: 1,
      toInputs: (b) => {
        const t = toInputs(b);
        tf.dispose([t.labels, t.sentenceOrderLabel]);
        return { inputIds: t.inputIds, attentionMask: t.attentionMask, tokenTypeIds: t.tokenTypeIds };
      },
    });
    const before = tf.memory().numTensors;
    await expect(trainer.train()).rejects.toThrow(/model.forward returned no loss: toInputs must give the labels/);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
  });

  it('train() twice on one Trainer', async () => {
    const { trainer, optimizer } = tinyTrainer(model, { maxSteps: 1 });
    await trainer.train();
    await expect(trainer.train()).rejects.toThrow(/already called; create a new Trainer/);
    optimizer.dispose();
  });
});

describe('resume', () => {
  const resumeWith = async (
    options: Parameters<typeof tinyTrainer>[1],
    sgd?: Parameters<typeof tinyTrainer>[2],
    resume: string | true = true,
  ) => {
    const { trainer, optimizer } = tinyTrainer(tinyModel(), { maxSteps: 6, ...options }, sgd);
    try {
      return await trainer.train({ resume });
    } finally {
      optimizer.dispose();
    }
  };

  it('from a checkpoint that does not exist, or from empty storage', async () => {
    await expect(resumeWith({ checkpoints: { storage } }, undefined, 'checkpoint-99')).rejects.toThrow(
      /folder .*run has no checkpoint checkpoint-99; it has checkpoint-2, checkpoint-4\./,
    );
    const empty = new NodeCheckpointStorage(join(tmp, 'empty'));
    await expect(resumeWith({ checkpoints: { storage: empty } })).rejects.toThrow(TrainingCheckpointError);
    await expect(resumeWith({ checkpoints: { storage: empty } })).rejects.toThrow(
      /There is no checkpoint to resume from in folder .*empty; start without resume\./,
    );
    await expect(resumeWith({})).rejects.toThrow(/resume needs checkpoints.storage/);
  });

  it('a fresh run over storage that holds checkpoints', async () => {
    const { trainer, optimizer } = tinyTrainer(model, { maxSteps: 1, checkpoints: { storage } });
    await expect(trainer.train()).rejects.toThrow(
      /already holds checkpoint-2, checkpoint-4\. Pass train\(\{ resume: true \}\) to continue that run, or checkpoints.overwrite: true/,
    );
    optimizer.dispose();
  });

  it('with an optimizer of other hyper-parameters, another freeze list, another seed', async () => {
    await expect(resumeWith({ checkpoints: { storage } }, { momentum: 0.5, weightDecay: 0.01 })).rejects.toThrow(
      /the state was saved with momentum = 0.9, this optimizer has 0.5/,
    );
    await expect(resumeWith({ checkpoints: { storage }, freeze: [/^sop_classifier\./] })).rejects.toThrow(
      /optimizer.safetensors of checkpoint checkpoint-4 has state "sop_classifier\.classifier\.(bias|weight)\/momentum_buffer" for a parameter this model does not train/,
    );
    await expect(resumeWith({ checkpoints: { storage }, seed: 6 })).rejects.toThrow(
      /Checkpoint checkpoint-4 was written with seed 5; this Trainer has seed 6\. Resume with the options of the run/,
    );
  });

  it('with a corrupt optimizer-state file or a checkpoint missing its state', async () => {
    const copy = new NodeCheckpointStorage(join(tmp, 'corrupt'));
    const files = new Map<string, Uint8Array>();
    for (const f of await storage.files('checkpoint-4')) files.set(f, await storage.read('checkpoint-4', f));
    await copy.write('checkpoint-4', files);
    truncateSync(join(await copy.path('checkpoint-4'), 'optimizer.safetensors'), 100);
    const error = await resumeWith({ checkpoints: { storage: copy } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingCheckpointError);
    expect(error).toBeInstanceOf(AlbertError);
    expect((error as Error).message).toMatch(
      /^optimizer.safetensors of checkpoint checkpoint-4 in folder .*corrupt is corrupt: safetensors/,
    );

    files.delete('trainer_state.json');
    await copy.write('checkpoint-5', files);
    await expect(resumeWith({ checkpoints: { storage: copy } })).rejects.toThrow(
      /checkpoint checkpoint-5 in folder .*corrupt lacks trainer_state.json; it was not written by the Trainer/,
    );
  });
});
