// Multiple choice on RACE-layout JSONL (article, question, options, answer): one [CLS] article [SEP]
// question+option [SEP] pair per option, AlbertForMultipleChoice, accuracy.
import {
  AlbertForMultipleChoice,
  accuracy,
  type ChoiceBatch,
  collateChoices,
  type MultipleChoiceFeature,
  multipleChoiceFeatures,
  readMultipleChoiceFile,
} from '@albert-ts/heads';
import * as tf from '@tensorflow/tfjs-core';
import { DataFormatError } from '../errors.js';
import { chunks, type EvalResult, type FinetuneTask, type TaskData } from './task.js';

export function mcTask(): FinetuneTask<MultipleChoiceFeature & { id: string }, ChoiceBatch> {
  return {
    name: 'mc',
    metric: 'accuracy',
    architecture: 'AlbertForMultipleChoice',

    async read(path, tokenizer, options): Promise<TaskData<MultipleChoiceFeature & { id: string }>> {
      const examples = (await readMultipleChoiceFile(path)).slice(0, options.limit);
      const unlabelled = examples.find((e) => e.label == null);
      if (unlabelled != null) {
        throw new DataFormatError(
          `${path}:${unlabelled.line}: example ${unlabelled.id} has no answer; training and evaluation need labelled data.`,
        );
      }
      const features = multipleChoiceFeatures(tokenizer, examples, { maxLength: options.maxSeqLength }).map((f, i) => ({
        ...f,
        id: (examples[i] as { id: string }).id,
      }));
      return { file: path, examples: examples.length, features };
    },

    load: (folder, { seed, warn }) => AlbertForMultipleChoice.fromPretrained(folder, { seed, warn }),

    collate: (features) => collateChoices(features),

    toInputs(batch) {
      const shape: [number, number, number] = [batch.batchSize, batch.numChoices, batch.seqLength];
      const inputs: Record<string, tf.Tensor> = {
        inputIds: tf.tensor3d(batch.inputIds, shape, 'int32'),
        attentionMask: tf.tensor3d(batch.attentionMask, shape, 'int32'),
        tokenTypeIds: tf.tensor3d(batch.tokenTypeIds, shape, 'int32'),
      };
      if (batch.labels != null) inputs.labels = tf.tensor1d(batch.labels, 'int32');
      return inputs;
    },

    async evaluate(model, data, batchSize): Promise<EvalResult> {
      const predictions: number[] = [];
      const references: number[] = [];
      let lossSum = 0;
      // a batch holds examples with one option count: runs of equal counts, then batches of them
      const runs: (typeof data.features)[] = [];
      for (const f of data.features) {
        const last = runs.at(-1);
        if (last != null && last[0]?.numChoices === f.numChoices) last.push(f);
        else runs.push([f]);
      }
      for (const part of runs.flatMap((run) => chunks(run, batchSize))) {
        const batch = collateChoices(part);
        const inputs = this.toInputs(batch);
        const out = tf.tidy(() => {
          const o = model.forward(inputs, { training: false }) as { loss: tf.Scalar; logits: tf.Tensor2D };
          return { loss: o.loss, predicted: tf.argMax(o.logits, -1) };
        });
        const [loss, predicted] = await Promise.all([out.loss.data(), out.predicted.data()]);
        tf.dispose([out.loss, out.predicted, ...Object.values(inputs)]);
        lossSum += (loss[0] as number) * part.length;
        predictions.push(...predicted);
        references.push(...(batch.labels ?? []));
      }
      return {
        metrics: { accuracy: accuracy(references, predictions), loss: lossSum / data.features.length },
        predictions: Object.fromEntries(data.features.map((f, i) => [f.id, predictions[i] as number])),
      };
    },
  };
}
