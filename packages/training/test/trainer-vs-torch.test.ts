// The Trainer's update (gradient accumulation, clip_grad_norm_, SGD with momentum at a scheduled
// rate) against the same loop written in PyTorch 1.13 as Hugging Face's Trainer runs it
// (fixtures/torch-loop.json), on each backend.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { replaySource, SGD, Trainer } from '../src/index.js';
import { fixture, worstRelative } from './helpers/fixtures.js';
import { LinearRegression } from './helpers/linear-model.js';

type LoopFixture = {
  nIn: number;
  nOut: number;
  batch: number;
  accumulation: number;
  maxGradNorm: number;
  momentum: number;
  W0: number[];
  b0: number[];
  xs: number[][];
  ys: number[][];
  lrs: number[];
  trace: { loss: number; gradNorm: number; W: number[]; b: number[] }[];
};

const REF = fixture<LoopFixture>('torch-loop.json');
const BACKENDS = await testBackends();

describe.each(BACKENDS)('Trainer vs a PyTorch loop on %s', (backend) => {
  it('gives torch’s loss, gradient norm and weights after every update (1e-5 relative)', async () => {
    await initBackend({ prefer: backend });
    const before = tf.memory().numTensors;
    const model = new LinearRegression(REF.W0, REF.b0, REF.nIn);
    const batches = REF.xs.map((x, i) => ({ x, y: REF.ys[i] as number[] }));
    const data = replaySource(async function* () {
      yield* batches;
    });
    const optimizer = new SGD({ momentum: REF.momentum });
    const trainer = new Trainer({
      model,
      optimizer,
      learningRate: (step) => REF.lrs[step] as number,
      data,
      toInputs: (b) => ({
        x: tf.tensor2d(b.x, [REF.batch, REF.nIn]),
        y: tf.tensor2d(b.y, [REF.batch, REF.nOut]),
      }),
      gradientAccumulationSteps: REF.accumulation,
      maxGradNorm: REF.maxGradNorm,
    });
    const seen: { loss: number; gradNorm: number; lr: number; W: Float32Array; b: Float32Array }[] = [];
    trainer.on('step', (e) =>
      seen.push({
        loss: e.loss,
        gradNorm: e.gradNorm,
        lr: e.learningRate,
        W: model.weight.dataSync() as Float32Array,
        b: model.bias.dataSync() as Float32Array,
      }),
    );
    const result = await trainer.train();
    expect(result.reason).toBe('data-exhausted');
    expect(result.step).toBe(REF.trace.length);
    REF.trace.forEach((ref, i) => {
      const got = seen[i]!;
      expect(got.lr).toBe(REF.lrs[i]);
      expect(worstRelative([got.loss], [ref.loss]), `loss ${i + 1}`).toBeLessThan(1e-5);
      expect(worstRelative([got.gradNorm], [ref.gradNorm]), `norm ${i + 1}`).toBeLessThan(1e-5);
      expect(worstRelative(got.W, ref.W), `W ${i + 1}`).toBeLessThan(1e-5);
      expect(worstRelative(got.b, ref.b), `b ${i + 1}`).toBeLessThan(1e-5);
    });
    // the clipping was active at some updates and not at others
    expect(REF.trace.some((t) => t.gradNorm > REF.maxGradNorm)).toBe(true);
    expect(REF.trace.some((t) => t.gradNorm < REF.maxGradNorm)).toBe(true);
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
