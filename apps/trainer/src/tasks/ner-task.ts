// Named-entity recognition on CoNLL/WNUT files (one token and its IOB2 tag per line, a blank line
// between sentences): word-level labels on each word's first piece (Hugging Face run_ner.py),
// AlbertForTokenClassification, seqeval's entity-level scores.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AlbertForTokenClassification,
  type Batch,
  collate,
  type LabelMap,
  labelMapFromConfig,
  labelMapFromData,
  readConllFile,
  seqevalMetrics,
  type TokenClassificationFeature,
  tokenClassificationFeatures,
} from '@albert-ts/heads';
import * as tf from '@tensorflow/tfjs-core';
import { DataFormatError } from '../errors.js';
import { chunks, type EvalResult, encoderInputs, type FinetuneTask, type TaskData } from './task.js';

export function nerTask(): FinetuneTask<TokenClassificationFeature, Batch> {
  let labels: LabelMap | null = null;
  return {
    name: 'ner',
    metric: 'f1',
    architecture: 'AlbertForTokenClassification',

    async read(path, tokenizer, options, split): Promise<TaskData<TokenClassificationFeature>> {
      const sentences = (await readConllFile(path)).slice(0, options.limit);
      if (labels == null && split === 'dev' && options.modelFolder != null) {
        const config = JSON.parse(readFileSync(join(options.modelFolder, 'config.json'), 'utf8'));
        labels = labelMapFromConfig(config);
      }
      if (labels == null) labels = labelMapFromData(sentences.map((s) => s.tags));
      const known = labels;
      for (const s of sentences) {
        const unknown = s.tags.find((t) => known.label2id[t] === undefined);
        if (unknown !== undefined) {
          throw new DataFormatError(
            `${path}:${s.line}: tag '${unknown}' is not one of the model's labels (${known.labels.join(', ')}).`,
          );
        }
      }
      const features = tokenClassificationFeatures(tokenizer, sentences, {
        labelMap: known,
        maxLength: options.maxSeqLength,
      });
      return { file: path, examples: sentences.length, features };
    },

    async load(folder, { seed, warn }) {
      const map = labels as LabelMap;
      const id2label = Object.fromEntries(map.labels.map((l, i) => [String(i), l]));
      return AlbertForTokenClassification.fromPretrained(folder, {
        seed,
        warn,
        config: { id2label, label2id: { ...map.label2id } },
      });
    },

    collate: (features) => collate(features),

    toInputs(batch) {
      const inputs = encoderInputs(batch);
      if (batch.labels != null) inputs.labels = tf.tensor2d(batch.labels, [batch.batchSize, batch.seqLength], 'int32');
      return inputs;
    },

    async evaluate(model, data, batchSize): Promise<EvalResult> {
      const names = (labels as LabelMap).labels;
      const truth: string[][] = [];
      const predicted: string[][] = [];
      let lossSum = 0;
      for (const part of chunks(data.features, batchSize)) {
        const batch = collate(part);
        const inputs = this.toInputs(batch);
        const out = tf.tidy(() => {
          const o = model.forward(inputs, { training: false }) as { loss: tf.Scalar; logits: tf.Tensor3D };
          return { loss: o.loss, ids: tf.argMax(o.logits, -1) };
        });
        const [loss, ids] = await Promise.all([out.loss.data(), out.ids.data()]);
        tf.dispose([out.loss, out.ids, ...Object.values(inputs)]);
        lossSum += (loss[0] as number) * part.length;
        // one tag per word: at its first piece (the positions that carry a label)
        part.forEach((f, b) => {
          const t: string[] = [];
          const p: string[] = [];
          for (let i = 0; i < f.labels.length; i++) {
            const gold = f.labels[i] as number;
            if (gold < 0) continue;
            t.push(names[gold] as string);
            p.push(names[ids[b * batch.seqLength + i] as number] as string);
          }
          truth.push(t);
          predicted.push(p);
        });
      }
      const r = seqevalMetrics(truth, predicted);
      return {
        metrics: {
          precision: r.micro.precision,
          recall: r.micro.recall,
          f1: r.micro.f1,
          accuracy: r.accuracy,
          loss: lossSum / data.features.length,
        },
      };
    },
  };
}
