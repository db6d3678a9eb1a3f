// Held-out evaluation of a pretraining model: masked-LM loss, accuracy and perplexity, and
// sentence-order accuracy, over fixed batches (the same examples every time, so evaluations of one
// run compare). MLM metrics are per masked token, as run_pretraining.py's metric_fn computes them.
import { IGNORE_INDEX } from '@albert-ts/core';
import {
  type AlbertForPreTraining,
  batchToTensors,
  type CorpusOptions,
  type PretrainingBatch,
  PretrainingCorpus,
} from '@albert-ts/pretraining';
import * as tf from '@tensorflow/tfjs-core';
import { CorpusTooSmallError } from '../errors.js';

export type MlmMetrics = {
  loss: number;
  mlm_loss: number;
  mlm_accuracy: number;
  perplexity: number;
  sop_accuracy: number;
  masked_tokens: number;
};

export async function evaluatePretraining(
  model: AlbertForPreTraining,
  batches: PretrainingBatch[],
): Promise<MlmMetrics> {
  let lossSum = 0; // Σ cross-entropy over masked tokens
  let correct = 0;
  let masked = 0;
  let sopCorrect = 0;
  let sopLossSum = 0;
  let examples = 0;
  for (const batch of batches) {
    const targets = batch.labels.filter((l) => l !== IGNORE_INDEX); // row-major, as the 'masked' head orders its rows
    const inputs = batchToTensors(batch);
    const out = tf.tidy(() => {
      const o = model.forward(inputs, { training: false, mlmPositions: 'masked' });
      return {
        mlmLoss: o.mlmLoss as tf.Scalar,
        sopLoss: o.sopLoss as tf.Scalar,
        predicted: tf.argMax(o.predictionLogits, -1), // [M]
        sopPredicted: tf.argMax(o.sopLogits, -1), // [b]
      };
    });
    const [mlmLoss, sopLoss, predicted, sopPredicted] = await Promise.all([
      out.mlmLoss.data(),
      out.sopLoss.data(),
      out.predicted.data(),
      out.sopPredicted.data(),
    ]);
    tf.dispose([out.mlmLoss, out.sopLoss, out.predicted, out.sopPredicted, ...Object.values(inputs)]);
    lossSum += (mlmLoss[0] as number) * targets.length;
    masked += targets.length;
    for (let i = 0; i < targets.length; i++) if (predicted[i] === targets[i]) correct++;
    for (let b = 0; b < batch.batchSize; b++) if (sopPredicted[b] === batch.sentenceOrderLabel[b]) sopCorrect++;
    sopLossSum += (sopLoss[0] as number) * batch.batchSize;
    examples += batch.batchSize;
  }
  const mlmLoss = lossSum / masked;
  return {
    loss: mlmLoss + sopLossSum / examples,
    mlm_loss: mlmLoss,
    mlm_accuracy: correct / masked,
    perplexity: Math.exp(mlmLoss),
    sop_accuracy: sopCorrect / examples,
    masked_tokens: masked,
  };
}

/**
 * The first `count` batches of a held-out text file (`options.files`), the same examples and masks
 * every time: static masking, no shuffling. `what` names the file in the error when it gives none.
 */
export async function heldOutBatches(options: CorpusOptions, count: number, what: string): Promise<PretrainingBatch[]> {
  const batches: PretrainingBatch[] = [];
  const corpus = new PretrainingCorpus({ ...options, epochs: 1, shuffleBufferSize: 1, masking: 'static' });
  for await (const b of corpus.batches()) {
    batches.push(b);
    if (batches.length >= count) break;
  }
  if (batches.length === 0) throw new CorpusTooSmallError(`${what} gives no pretraining example.`);
  return batches;
}
