// A Trainer over the tiny ALBERT with SGD(momentum 0.9), accumulation 2 and clipping, for the
// behaviour tests. Returns the optimizer too, so the test disposes it.
import { SGD, type SGDOptions, Trainer, type TrainerOptions } from '../../src/index.js';
import { tinyData, type tinyModel, toInputs } from './tiny-albert.js';

export type TinyModel = ReturnType<typeof tinyModel>;
export type TinyBatch = Parameters<typeof toInputs>[0];

export function tinyTrainer(
  model: TinyModel,
  options: Partial<TrainerOptions<TinyModel, TinyBatch>> = {},
  sgd: SGDOptions = { momentum: 0.9, weightDecay: 0.01 },
) {
  const optimizer = new SGD(sgd);
  const trainer = new Trainer<TinyModel, TinyBatch>({
    model,
    optimizer,
    learningRate: (step) => 0.05 / (1 + step / 10),
    data: tinyData(),
    toInputs,
    gradientAccumulationSteps: 2,
    maxGradNorm: 1.0,
    seed: 5,
    ...options,
  });
  return { trainer, optimizer };
}
