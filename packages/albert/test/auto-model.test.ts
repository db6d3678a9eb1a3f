// AutoModel picks the class config.json's `architectures` names (AlbertModel when it names none);
// each AutoModelFor* loads its own class from any ALBERT folder. Outputs against Hugging Face's on the
// same weights (test/fixtures/hf-io), nothing left allocated.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AlbertForMaskedLM,
  AlbertForMultipleChoice,
  AlbertForPreTraining,
  AlbertForQuestionAnswering,
  AlbertForSequenceClassification,
  AlbertForTokenClassification,
  AlbertModel,
  AutoModel,
  AutoModelForMaskedLM,
  AutoModelForMultipleChoice,
  AutoModelForPreTraining,
  AutoModelForQuestionAnswering,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  PipelineError,
} from '../src/index.js';
import { type FixtureName, fixture, tempFolder } from './helpers/fixtures.js';
import { expectLikeHf, type HfCase, ioInputs, readIo } from './helpers/hf-io.js';

type Loaded = { constructor: { name: string }; forward(inputs: never): unknown; dispose(): void };
type Auto = { fromPretrained(source: string, options?: { warn?: (m: string) => void }): Promise<unknown> };

interface Case {
  auto: Auto;
  autoName: string;
  folder: FixtureName & HfCase;
  cls: abstract new (...args: never[]) => unknown;
  /** our output → HF's io key */
  outputs: Record<string, string>;
}

const CASES: Case[] = [
  {
    auto: AutoModelForSequenceClassification,
    autoName: 'AutoModelForSequenceClassification',
    folder: 'tiny-seqcls',
    cls: AlbertForSequenceClassification,
    outputs: { logits: 'logits' },
  },
  {
    auto: AutoModelForTokenClassification,
    autoName: 'AutoModelForTokenClassification',
    folder: 'tiny-tokcls',
    cls: AlbertForTokenClassification,
    outputs: { logits: 'logits' },
  },
  {
    auto: AutoModelForQuestionAnswering,
    autoName: 'AutoModelForQuestionAnswering',
    folder: 'tiny-qa',
    cls: AlbertForQuestionAnswering,
    outputs: { startLogits: 'start_logits', endLogits: 'end_logits' },
  },
  {
    auto: AutoModelForMultipleChoice,
    autoName: 'AutoModelForMultipleChoice',
    folder: 'tiny-mc',
    cls: AlbertForMultipleChoice,
    outputs: { logits: 'logits' },
  },
  {
    auto: AutoModelForPreTraining,
    autoName: 'AutoModelForPreTraining',
    folder: 'tiny-pretraining',
    cls: AlbertForPreTraining,
    outputs: { predictionLogits: 'prediction_logits', sopLogits: 'sop_logits' },
  },
  {
    // HF's AlbertForMaskedLM on an AlbertForPreTraining checkpoint: the same MLM head, no SOP head
    auto: AutoModelForMaskedLM,
    autoName: 'AutoModelForMaskedLM',
    folder: 'tiny-pretraining',
    cls: AlbertForMaskedLM,
    outputs: { logits: 'prediction_logits' },
  },
];

/** Runs `model` on the case's HF inputs and checks each output against HF's; frees everything. */
function expectHfOutputs(model: Loaded, folder: HfCase, outputs: Record<string, string>): void {
  const io = readIo(folder);
  tf.tidy(() => {
    const out = model.forward(ioInputs(io) as never) as Record<string, tf.Tensor>;
    for (const [ours, key] of Object.entries(outputs)) {
      const tensor = out[ours];
      if (tensor === undefined) throw new Error(`${model.constructor.name} gave no ${ours}`);
      expectLikeHf(`${model.constructor.name}.${ours}`, tensor, io, key);
    }
  });
}

/** tiny-seqcls's weights with config.json's `architectures` replaced (or removed: undefined). */
function withArchitectures(architectures: unknown): string {
  const config = JSON.parse(readFileSync(join(fixture('tiny-seqcls'), 'config.json'), 'utf8'));
  if (architectures === undefined) delete config.architectures;
  else config.architectures = architectures;
  return tempFolder('tiny-seqcls', { 'config.json': JSON.stringify(config) });
}

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

describe('AutoModelFor*: the class of the task, from a folder', () => {
  for (const c of CASES) {
    it(`${c.autoName} on ${c.folder}: ${(c.cls as { name: string }).name}, HF's ${Object.values(c.outputs).join(' and ')}`, async () => {
      const before = tf.memory().numTensors;
      const warnings: string[] = [];
      const model = (await c.auto.fromPretrained(fixture(c.folder), { warn: (m) => warnings.push(m) })) as Loaded;
      expect(model).toBeInstanceOf(c.cls);
      expect(model.constructor.name).toBe((c.cls as { name: string }).name);
      // the checkpoint holds exactly this class's tensors (the MaskedLM case leaves the SOP head out)
      if (c.autoName !== 'AutoModelForMaskedLM') expect(warnings).toEqual([]);
      expectHfOutputs(model, c.folder, c.outputs);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('AutoModel: the class config.json names', () => {
  for (const c of CASES.filter((c) => c.autoName !== 'AutoModelForMaskedLM')) {
    it(`${c.folder} (${(c.cls as { name: string }).name})`, async () => {
      const before = tf.memory().numTensors;
      const model = (await AutoModel.fromPretrained(fixture(c.folder))) as Loaded;
      expect(model.constructor.name).toBe((c.cls as { name: string }).name);
      expectHfOutputs(model, c.folder, c.outputs);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  for (const [what, architectures] of [
    ['no architectures', undefined],
    ['architectures []', []],
    ['architectures ["AlbertModel"]', ['AlbertModel']],
  ] as const) {
    it(`${what}: AlbertModel, HF's last_hidden_state and pooler_output, the task head left out quietly`, async () => {
      const before = tf.memory().numTensors;
      const warnings: string[] = [];
      const model = (await AutoModel.fromPretrained(withArchitectures(architectures), {
        warn: (m) => warnings.push(m),
      })) as AlbertModel;
      expect(model).toBeInstanceOf(AlbertModel);
      expect(model.constructor.name).toBe('AlbertModel');
      expect(warnings).toEqual([]);
      expectHfOutputs(model as unknown as Loaded, 'tiny-seqcls', {
        lastHiddenState: 'last_hidden_state',
        poolerOutput: 'pooler_output',
      });
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('the first architecture albert-ts knows wins', async () => {
    const model = await AutoModel.fromPretrained(
      withArchitectures(['BertForMaskedLM', 'AlbertForSequenceClassification']),
    );
    expect(model.constructor.name).toBe('AlbertForSequenceClassification');
    model.dispose();
  });

  it('an architecture albert-ts does not know: a wrong-architecture error naming it and the known ones, nothing allocated', async () => {
    const dir = withArchitectures(['BertForMaskedLM']);
    const before = tf.memory().numTensors;
    const err = await AutoModel.fromPretrained(dir).catch((e: unknown) => e);
    expect(tf.memory().numTensors).toBe(before);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).code).toBe('wrong-architecture');
    const message = (err as Error).message;
    expect(message).toContain(dir);
    expect(message).toContain('["BertForMaskedLM"]');
    for (const known of [
      'AlbertModel',
      'AlbertForMaskedLM',
      'AlbertForSequenceClassification',
      'AlbertForMultipleChoice',
    ]) {
      expect(message).toContain(known);
    }
    expect(message).toMatch(/AutoModelForSequenceClassification/); // what to do
  });

  it('a task class ignores the architectures: AutoModelForSequenceClassification loads that folder all the same', async () => {
    const model = await AutoModelForSequenceClassification.fromPretrained(withArchitectures(['BertForMaskedLM']));
    expect(model).toBeInstanceOf(AlbertForSequenceClassification);
    expectHfOutputs(model as unknown as Loaded, 'tiny-seqcls', { logits: 'logits' });
    model.dispose();
  });
});
