// Hugging Face model folders in and out: savePretrained → fromPretrained keeps every tensor (the
// fixture's own bytes), config.json keeps id2label/label2id/problem_type and unknown keys with
// `architectures` set; toFiles() is what savePretrained writes; a base-only or other-task
// checkpoint reports the new weights in HF's wording; parameter counts are the fixture README's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import {
  AlbertModel,
  type AnyTaskModel,
  ConfigError,
  parseSafetensors,
  serializeSafetensors,
  type TaskModelClass,
  taskModelClass,
} from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AlbertForMultipleChoice,
  AlbertForQuestionAnswering,
  AlbertForSequenceClassification,
  AlbertForTokenClassification,
} from '../src/index.js';
import { FIXTURES, ioTensor, loadCase } from './helpers/fixtures.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'albert-heads-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

const fail = (m: string) => {
  throw new Error(`unexpected warning: ${m}`);
};
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

// Unique parameter counts from the fixtures' README (HF's count).
const CASES: [string, TaskModelClass, number][] = [
  ['tiny-seqcls', AlbertForSequenceClassification, 25_576],
  ['tiny-tokcls', AlbertForTokenClassification, 24_586],
  ['tiny-qa', AlbertForQuestionAnswering, 24_487],
  ['tiny-mc', AlbertForMultipleChoice, 25_510],
];

describe.each(CASES)('%s', (name, Cls, parameterCount) => {
  it('round-trips through savePretrained: same bytes per tensor, same config, same outputs', async () => {
    const c = loadCase(name);
    const model: AnyTaskModel = await Cls.fromPretrained(c.dir, { warn: fail });
    expect(model).toBeInstanceOf(Cls);
    expect(model.numParameters()).toBe(parameterCount);
    expect(taskModelClass(Cls.spec.architecture)).toBe(Cls);

    const dir = tempDir();
    await model.savePretrained(dir);
    const original = parseSafetensors(new Uint8Array(readFileSync(join(c.dir, 'model.safetensors'))));
    const saved = parseSafetensors(new Uint8Array(readFileSync(join(dir, 'model.safetensors'))));
    expect([...saved.tensors.keys()].sort()).toEqual([...original.tensors.keys()].sort());
    expect([...model.namedParameters().keys()].sort()).toEqual([...original.tensors.keys()].sort());
    for (const [k, e] of original.tensors) {
      expect(saved.tensors.get(k)?.shape, k).toEqual(e.shape);
      expect(saved.tensors.get(k)?.data, k).toEqual(e.data);
    }
    // HF's config.json as the fixture has it (architectures, id2label, label2id, torch_dtype, …).
    expect(readJson(join(dir, 'config.json'))).toEqual(readJson(join(c.dir, 'config.json')));

    // toFiles() is exactly what savePretrained wrote.
    const files = await model.toFiles();
    expect([...files.keys()].sort()).toEqual(['config.json', 'model.safetensors']);
    expect(files.get('model.safetensors')).toEqual(new Uint8Array(readFileSync(join(dir, 'model.safetensors'))));
    expect(new TextDecoder().decode(files.get('config.json'))).toBe(readFileSync(join(dir, 'config.json'), 'utf8'));

    const reloaded: AnyTaskModel = await Cls.fromPretrained(dir, { warn: fail });
    const inputs: Record<string, tf.Tensor> = {
      inputIds: ioTensor(c, 'input_ids'),
      attentionMask: ioTensor(c, 'attention_mask'),
      tokenTypeIds: ioTensor(c, 'token_type_ids'),
    };
    const a = model.forward(inputs);
    const b = reloaded.forward(inputs);
    for (const key of Object.keys(a))
      expect((b[key] as tf.Tensor).dataSync(), key).toEqual((a[key] as tf.Tensor).dataSync());
    tf.dispose([a, b, inputs]);
    reloaded.dispose();
    model.dispose();
  });
});

describe('labels and problem type', () => {
  it('keeps id2label, label2id and problem_type through save and load', async () => {
    const id2label = { '0': 'negative', '1': 'neutral', '2': 'positive' };
    const model = await AlbertForSequenceClassification.fromPretrained(join(FIXTURES, 'tiny-seqcls'), {
      config: { id2label, problemType: 'single_label_classification' },
      warn: fail,
    });
    expect(model.config.label2id).toEqual({ negative: 0, neutral: 1, positive: 2 }); // follows id2label
    const dir = tempDir();
    await model.savePretrained(dir);
    const json = readJson(join(dir, 'config.json'));
    expect(json.id2label).toEqual(id2label);
    expect(json.label2id).toEqual({ negative: 0, neutral: 1, positive: 2 });
    expect(json.problem_type).toBe('single_label_classification');
    expect(json.architectures).toEqual(['AlbertForSequenceClassification']);
    const again = await AlbertForSequenceClassification.fromPretrained(dir, { warn: fail });
    expect(again.config.id2label).toEqual(id2label);
    expect(again.config.problemType).toBe('single_label_classification');
    model.dispose();
    again.dispose();
  });
});

describe('loading checkpoints of other shapes', () => {
  it('a base-only AlbertModel folder: the new head is initialised (seeded) and reported in HF wording', async () => {
    const base = await AlbertModel.fromPretrained(join(FIXTURES, 'tiny-seqcls'), { warn: () => {} });
    const dir = tempDir();
    await base.savePretrained(dir); // AlbertModel layout: no 'albert.' prefix, architectures ['AlbertModel']
    const warnings: string[] = [];
    const model = await AlbertForSequenceClassification.fromPretrained(dir, {
      numLabels: 4,
      seed: 7,
      warn: (m) => warnings.push(m),
    });
    expect(model.numLabels).toBe(4);
    expect(model.loadingInfo).toEqual({
      missingKeys: ['classifier.weight', 'classifier.bias'],
      unexpectedKeys: [],
      mismatchedKeys: [],
    });
    expect(warnings).toEqual([
      `Some weights of AlbertForSequenceClassification were not initialized from the model checkpoint at folder ${dir} ` +
        "and are newly initialized: ['classifier.weight', 'classifier.bias']\nYou should probably TRAIN this model on " +
        'a down-stream task to be able to use it for predictions and inference.',
    ]);
    // The encoder is the checkpoint's; the head is HF's init (normal(0, initializer_range) weights, zero bias).
    for (const [n, v] of base.params) expect(model.albert.params.get(n)?.dataSync(), n).toEqual(v.dataSync());
    expect(model.head.get('classifier.bias')?.dataSync()).toEqual(new Float32Array(4));
    const again = await AlbertForSequenceClassification.fromPretrained(dir, { numLabels: 4, seed: 7, warn: () => {} });
    expect(again.head.get('classifier.weight')?.dataSync()).toEqual(model.head.get('classifier.weight')?.dataSync());
    base.dispose();
    model.dispose();
    again.dispose();
  });

  it('another task: unused tensors go to info, the new head to warn; a pooler-less checkpoint misses the pooler', async () => {
    const warnings: string[] = [];
    const infos: string[] = [];
    const sinks = { warn: (m: string) => warnings.push(m), info: (m: string) => infos.push(m) };
    // tiny-seqcls has 3 labels; a QA head needs 2.
    await expect(AlbertForQuestionAnswering.fromPretrained(join(FIXTURES, 'tiny-seqcls'), sinks)).rejects.toThrow(
      ConfigError,
    );
    const qa = await AlbertForQuestionAnswering.fromPretrained(join(FIXTURES, 'tiny-seqcls'), {
      config: { id2label: null, label2id: null },
      ...sinks,
    });
    expect(qa.loadingInfo?.missingKeys).toEqual(['qa_outputs.weight', 'qa_outputs.bias']);
    expect(qa.loadingInfo?.unexpectedKeys.sort()).toEqual(
      ['albert.pooler.bias', 'albert.pooler.weight', 'classifier.bias', 'classifier.weight'].sort(),
    );
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatch(
      /^Some weights of the model checkpoint at folder .* were not used when initializing AlbertForQuestionAnswering: \[/,
    );
    expect(infos[0]).toContain('This IS expected');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("newly initialized: ['qa_outputs.weight', 'qa_outputs.bias']");
    qa.dispose();

    const seqcls = await AlbertForSequenceClassification.fromPretrained(join(FIXTURES, 'tiny-tokcls'), {
      warn: () => {},
    });
    expect(seqcls.loadingInfo).toEqual({
      missingKeys: ['albert.pooler.weight', 'albert.pooler.bias'],
      unexpectedKeys: [],
      mismatchedKeys: [],
    });
    expect(seqcls.numLabels).toBe(5); // the token classifier's 5 labels fit a sequence classifier
    seqcls.dispose();
  });

  it('unused tensors in a checkpoint of this very class are a warning', async () => {
    const dir = tempDir();
    const file = parseSafetensors(new Uint8Array(readFileSync(join(FIXTURES, 'tiny-qa', 'model.safetensors'))));
    const entries = [
      ...file.tensors.values(),
      { name: 'extra.weight', dtype: 'F32' as const, shape: [2], data: new Float32Array(2) },
    ];
    writeFileSync(join(dir, 'model.safetensors'), serializeSafetensors(entries));
    writeFileSync(join(dir, 'config.json'), readFileSync(join(FIXTURES, 'tiny-qa', 'config.json')));
    const warnings: string[] = [];
    const model = await AlbertForQuestionAnswering.fromPretrained(dir, { warn: (m) => warnings.push(m) });
    expect(model.loadingInfo).toEqual({ missingKeys: [], unexpectedKeys: ['extra.weight'], mismatchedKeys: [] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("were not used when initializing AlbertForQuestionAnswering: ['extra.weight']");
    model.dispose();
  });
});
