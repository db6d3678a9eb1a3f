// AlbertPreTrainedModel with a minimal subclass written here (pooled [CLS] → Linear, the shape of
// HF's sequence classifier): loading HF's tiny-seqcls checkpoint reproduces HF's logits; names,
// counts and files are HF's; the registry hands the class out by architecture name; misuse of the
// constructor is a clear error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AlbertConfig,
  type AlbertInputs,
  AlbertModel,
  AlbertPreTrainedModel,
  linear,
  ModelInputError,
  openModelSource,
  parseSafetensors,
  registerTaskModel,
  type TaskModelSpec,
  taskModelArchitectures,
  taskModelClass,
} from '../../src/index.js';
import { compare, ioTensor, loadCase } from '../helpers/fixtures.js';

type PooledOutput = { logits: tf.Tensor2D };

class PooledClassifier extends AlbertPreTrainedModel<AlbertInputs, PooledOutput> {
  static readonly spec: TaskModelSpec = {
    architecture: 'TestPooledClassifier',
    pooler: true,
    headSpecs: (config) => [
      { name: 'classifier.weight', shape: [config.hiddenSize, config.numLabels], init: 'normal' },
      { name: 'classifier.bias', shape: [config.numLabels], init: 'zeros' },
    ],
  };
  static {
    registerTaskModel(PooledClassifier);
  }

  forward(inputs: AlbertInputs): PooledOutput {
    return tf.tidy(() => {
      const { encoded } = this.encode(inputs, {});
      return { logits: linear(encoded.poolerOutput!, this.param('classifier.weight'), this.param('classifier.bias')) };
    });
  }
}

const c = loadCase('tiny-seqcls');

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

describe('AlbertPreTrainedModel', () => {
  it("loads HF's checkpoint (folder or ModelSource) and gives HF's logits", async () => {
    for (const source of [c.dir, await openModelSource(c.dir)]) {
      const model = await PooledClassifier.fromPretrained(source, {
        warn: (m) => {
          throw new Error(m);
        },
      });
      expect(model).toBeInstanceOf(PooledClassifier);
      expect(model.loadingInfo).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
      const inputs = {
        inputIds: ioTensor(c, 'input_ids') as tf.Tensor2D,
        attentionMask: ioTensor(c, 'attention_mask') as tf.Tensor2D,
        tokenTypeIds: ioTensor(c, 'token_type_ids') as tf.Tensor2D,
      };
      const out = model.forward(inputs);
      const ref = ioTensor(c, 'logits');
      expect(compare(out.logits, ref, { atol: 1e-4, rtol: 1e-4 }).ok).toBe(true);
      tf.dispose([out, ref, inputs]);
      model.dispose();
    }
  });

  it("has HF's parameter names and count, and writes HF's tensors with its architecture", async () => {
    const model = await PooledClassifier.fromPretrained(c.dir);
    const original = parseSafetensors(new Uint8Array(readFileSync(join(c.dir, 'model.safetensors'))));
    expect([...model.namedParameters().keys()].sort()).toEqual([...original.tensors.keys()].sort());
    expect(model.numParameters()).toBe(25_576); // the fixture README's count for tiny-seqcls
    expect(model.trainableVariables).toHaveLength(original.tensors.size);
    const files = await model.toFiles();
    const config = JSON.parse(new TextDecoder().decode(files.get('config.json')));
    expect(config.architectures).toEqual(['TestPooledClassifier']);
    expect(config.id2label).toEqual({ '0': 'LABEL_0', '1': 'LABEL_1', '2': 'LABEL_2' });
    const saved = parseSafetensors(files.get('model.safetensors')!);
    for (const [k, e] of original.tensors) expect(saved.tensors.get(k)?.data, k).toEqual(e.data);
    const before = tf.memory().numTensors;
    model.dispose();
    expect(tf.memory().numTensors).toBe(before - original.tensors.size);
    expect(() => model.forward({ inputIds: tf.zeros([1, 2], 'int32') as tf.Tensor2D })).toThrow(ModelInputError);
  });

  it('is found by architecture name in the registry', () => {
    expect(taskModelClass('TestPooledClassifier')).toBe(PooledClassifier);
    expect(taskModelArchitectures()).toContain('TestPooledClassifier');
    expect(taskModelClass('AlbertForNothing')).toBeUndefined();
    expect(() => registerTaskModel({} as never)).toThrow(ModelInputError);
  });

  it('applies numLabels before building the head; a head of another size fails unless ignoreMismatchedSizes', async () => {
    // The checkpoint's 3-label classifier does not fit 5 labels: a CheckpointError names both shapes (as HF).
    await expect(PooledClassifier.fromPretrained(c.dir, { numLabels: 5 })).rejects.toThrow(
      /"classifier.weight" has shape \[3,32\] but parameter "classifier.weight" needs \[5,32\]/,
    );
    const warnings: string[] = [];
    const model = await PooledClassifier.fromPretrained(c.dir, {
      numLabels: 5,
      ignoreMismatchedSizes: true,
      seed: 3,
      warn: (m) => warnings.push(m),
    });
    expect(model.config.id2label).toEqual({
      '0': 'LABEL_0',
      '1': 'LABEL_1',
      '2': 'LABEL_2',
      '3': 'LABEL_3',
      '4': 'LABEL_4',
    });
    expect(model.config.label2id).toEqual({ LABEL_0: 0, LABEL_1: 1, LABEL_2: 2, LABEL_3: 3, LABEL_4: 4 });
    expect(model.head.get('classifier.weight')?.shape).toEqual([32, 5]);
    expect(model.loadingInfo).toEqual({
      missingKeys: [],
      unexpectedKeys: [],
      mismatchedKeys: [
        { key: 'classifier.weight', checkpointShape: [3, 32], modelShape: [5, 32] },
        { key: 'classifier.bias', checkpointShape: [3], modelShape: [5] },
      ],
    });
    expect(warnings).toEqual([
      `Some weights of TestPooledClassifier were not initialized from the model checkpoint at folder ${c.dir} and are ` +
        'newly initialized because the shapes did not match:\n' +
        '- classifier.weight: found shape [3,32] in the checkpoint and [5,32] in the model instantiated\n' +
        '- classifier.bias: found shape [3] in the checkpoint and [5] in the model instantiated\n' +
        'You should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.',
    ]);
    model.dispose();
  });

  it('rejects an encoder together with encoder values, and an encoder without the pooler the spec needs', () => {
    const config = AlbertConfig.fromJSONString(readFileSync(join(c.dir, 'config.json'), 'utf8'));
    const albert = new AlbertModel(config, { addPoolingLayer: false, seed: 1 });
    expect(() => new PooledClassifier(albert.config, { albert })).toThrow(
      'TestPooledClassifier needs an AlbertModel with its pooler (addPoolingLayer: true); the one given has addPoolingLayer: false.',
    );
    const values = new Map([['albert.pooler.bias', tf.zeros([32])]]);
    expect(() => new PooledClassifier(albert.config, { albert, initialValues: values })).toThrow(
      "pass either an encoder (options.albert) or its initial values ('albert.…'), not both",
    );
    tf.dispose([...values.values()]);
    albert.dispose();
  });
});
