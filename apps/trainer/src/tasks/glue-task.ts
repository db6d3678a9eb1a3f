// The GLUE tasks (sst2, mrpc, rte, cola, stsb, mnli, qnli, qqp): GLUE's TSV files through
// @albert-ts/heads' reader (it names the file, line and column of a wrong column count or an
// unknown label), AlbertForSequenceClassification (STS-B: one output, MSE), GLUE's metrics.
import {
  AlbertForSequenceClassification,
  type Batch,
  collate,
  GLUE_LAYOUTS,
  type GlueTask,
  glueMetrics,
  readGlueFile,
  type SequenceClassificationFeature,
  sequenceClassificationFeatures,
} from '@albert-ts/heads';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigMismatchError, DataFormatError } from '../errors.js';
import { chunks, type EvalResult, encoderInputs, type FinetuneTask, type TaskData } from './task.js';

type Feature = SequenceClassificationFeature & { id: string };

/** The metric each GLUE task is judged by (the ALBERT paper's Table 9 and GLUE's leaderboard). */
const MAIN_METRIC: Record<string, string> = { cola: 'matthews_correlation', stsb: 'pearson' };

export function glueTask(name: GlueTask & FinetuneTask<Feature, Batch>['name']): FinetuneTask<Feature, Batch> {
  const layout = GLUE_LAYOUTS[name];
  const regression = layout.labelNames == null;
  return {
    name,
    metric: MAIN_METRIC[name] ?? 'accuracy',
    architecture: 'AlbertForSequenceClassification',

    async read(path, tokenizer, options): Promise<TaskData<Feature>> {
      const data = await readGlueFile(path, name);
      const examples = data.examples.slice(0, options.limit ?? data.examples.length);
      const unlabelled = examples.find((e) => e.label == null);
      if (unlabelled != null) {
        throw new DataFormatError(
          `${path}:${unlabelled.line}: the row has no label (a GLUE test file?); training and evaluation need labelled data.`,
        );
      }
      const features = sequenceClassificationFeatures(tokenizer, examples, {
        maxLength: options.maxSeqLength,
        padding: 'do_not_pad',
      }).map((f, i) => ({ ...f, id: (examples[i] as { id: string }).id }));
      return { file: path, examples: examples.length, features };
    },

    async load(folder, { seed, warn }) {
      const labelNames = layout.labelNames ?? ['LABEL_0'];
      const id2label = Object.fromEntries(labelNames.map((l, i) => [String(i), l]));
      const label2id = Object.fromEntries(labelNames.map((l, i) => [l, i]));
      const model = await AlbertForSequenceClassification.fromPretrained(folder, {
        seed,
        warn,
        config: { id2label, label2id, problemType: regression ? 'regression' : 'single_label_classification' },
      });
      if (model.numLabels !== labelNames.length) {
        model.dispose();
        throw new ConfigMismatchError(
          `${folder}: the model has ${model.numLabels} labels; ${name} needs ${labelNames.length}.`,
        );
      }
      return model;
    },

    collate: (features) => collate(features, { regression }),

    toInputs(batch) {
      const inputs = encoderInputs(batch);
      if (batch.labels != null) inputs.labels = tf.tensor1d(batch.labels, regression ? 'float32' : 'int32');
      return inputs;
    },

    async evaluate(model, data, batchSize): Promise<EvalResult> {
      const predictions: number[] = [];
      const references: number[] = [];
      let lossSum = 0;
      for (const part of chunks(data.features, batchSize)) {
        const batch = collate(part, { regression });
        const inputs = this.toInputs(batch);
        const out = tf.tidy(() => {
          const o = model.forward(inputs, { training: false }) as { loss: tf.Scalar; logits: tf.Tensor2D };
          return { loss: o.loss, predicted: regression ? tf.reshape(o.logits, [-1]) : tf.argMax(o.logits, -1) };
        });
        const [loss, predicted] = await Promise.all([out.loss.data(), out.predicted.data()]);
        tf.dispose([out.loss, out.predicted, ...Object.values(inputs)]);
        lossSum += (loss[0] as number) * part.length;
        predictions.push(...predicted);
        references.push(...(batch.labels ?? []));
      }
      const metrics = { ...glueMetrics(name, predictions, references), loss: lossSum / data.features.length };
      const labelNames = layout.labelNames;
      return {
        metrics,
        predictions: Object.fromEntries(
          data.features.map((f, i) => [
            f.id,
            labelNames == null ? (predictions[i] as number) : (labelNames[predictions[i] as number] as string),
          ]),
        ),
      };
    },
  };
}
