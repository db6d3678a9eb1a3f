// Extractive QA on SQuAD JSON (v1.1 and v2.0): windows of the context with a stride (Hugging Face
// run_qa.py's features), AlbertForQuestionAnswering, the n-best post-processing of utils_qa.py, and the
// official evaluate-v1.1.py / evaluate-v2.0.py scores. Predictions are the official {id: answer} JSON.
import {
  AlbertForQuestionAnswering,
  type Batch,
  collate,
  postprocessQaPredictions,
  readSquadFile,
  type SquadExample,
  type SquadFeature,
  squadFeatures,
  squadV1Metrics,
  squadV2Metrics,
} from '@albert-ts/heads';
import * as tf from '@tensorflow/tfjs-core';
import { chunks, type EvalResult, encoderInputs, type FinetuneTask, type TaskData } from './task.js';

export function squadTask(version: 'squad' | 'squad2'): FinetuneTask<SquadFeature, Batch> {
  const v2 = version === 'squad2';
  return {
    name: version,
    metric: 'f1',
    architecture: 'AlbertForQuestionAnswering',

    async read(path, tokenizer, options): Promise<TaskData<SquadFeature>> {
      const examples = (await readSquadFile(path)).examples.slice(0, options.limit);
      const features = squadFeatures(tokenizer, examples, {
        maxLength: options.maxSeqLength,
        docStride: options.docStride,
        maxQueryLength: options.maxQueryLength,
      });
      return { file: path, examples: examples.length, features, extra: examples };
    },

    load: (folder, { seed, warn }) => AlbertForQuestionAnswering.fromPretrained(folder, { seed, warn }),

    collate: (features) => collate(features),

    toInputs(batch) {
      const inputs = encoderInputs(batch);
      if (batch.startPositions != null && batch.endPositions != null) {
        inputs.startPositions = tf.tensor1d(batch.startPositions, 'int32');
        inputs.endPositions = tf.tensor1d(batch.endPositions, 'int32');
      }
      return inputs;
    },

    async evaluate(model, data, batchSize): Promise<EvalResult> {
      const examples = data.extra as SquadExample[];
      const starts: Float32Array[] = [];
      const ends: Float32Array[] = [];
      for (const part of chunks(data.features, batchSize)) {
        const batch = collate(part);
        const inputs = encoderInputs(batch); // no positions: the logits only
        const out = tf.tidy(() => {
          const o = model.forward(inputs, { training: false }) as { startLogits: tf.Tensor2D; endLogits: tf.Tensor2D };
          return [o.startLogits, o.endLogits];
        });
        const [s, e] = await Promise.all(out.map((t) => t.data() as Promise<Float32Array>));
        tf.dispose([...out, ...Object.values(inputs)]);
        for (let b = 0; b < part.length; b++) {
          const row = (x: Float32Array) =>
            x.slice(b * batch.seqLength, b * batch.seqLength + (part[b] as SquadFeature).inputIds.length);
          starts.push(row(s as Float32Array));
          ends.push(row(e as Float32Array));
        }
      }
      const predictions = postprocessQaPredictions(examples, data.features, starts, ends, {
        versionTwoWithNegative: v2,
      });
      const answers: Record<string, string> = {};
      predictions.forEach((p, i) => {
        answers[(examples[i] as SquadExample).id] = p.text;
      });
      const references = examples.map((x) => ({ id: x.id, answers: x.answers.map((a) => a.text) }));
      const scores = v2 ? squadV2Metrics(references, answers) : squadV1Metrics(references, answers);
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(scores)) if (typeof v === 'number') metrics[k] = v;
      if (v2) metrics.f1 = scores.f1;
      return { metrics, predictions: answers };
    },
  };
}
