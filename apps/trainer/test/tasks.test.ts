// finetune and evaluate on the non-GLUE tasks through the CLI, from a small pretrained folder
// (Hugging Face's tiny AlbertForPreTraining weights + a 1000-piece vocabulary): NER, SQuAD v1.1 and
// v2.0, multiple choice. The scores of a few steps mean nothing; what is checked is that each task
// reads its format, trains, reports its own metrics, keeps best/, and writes SQuAD predictions in
// the official {id: answer} form with answers taken from the contexts.
import { copyFileSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, runJson } from './helpers/run-cli.js';

type Finetuned = {
  steps: number;
  best: { metric: string; value: number; folder: string; metrics: Record<string, number> };
};

let pretrained = '';
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'albert-train-tasks-'));
  pretrained = join(dir, 'pretrained');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(pretrained);
  for (const f of ['config.json', 'model.safetensors'])
    copyFileSync(join(FIXTURES, 'hf-albert', 'tiny-pretraining', f), join(pretrained, f));
  copyFileSync(join(FIXTURES, 'gutenberg-1k.model'), join(pretrained, 'spiece.model'));
});

const finetune = (task: string, train: string, dev: string, extra: string[]) =>
  runJson<Finetuned>([
    'finetune',
    '--task',
    task,
    '--model',
    pretrained,
    '--train',
    join(FIXTURES, train),
    '--dev',
    join(FIXTURES, dev),
    '-o',
    join(pretrained, '..', task),
    '--max-seq-length',
    '64',
    '--lr',
    '0.001',
    '--backend',
    'cpu',
    ...extra,
  ]);

describe('albert-train tasks', { timeout: 900_000 }, () => {
  it('ner: WNUT-17 CoNLL, seqeval entity scores', async () => {
    const r = await finetune('ner', 'wnut17-train-slice.conll', 'wnut17-dev-slice.conll', [
      '--batch-size',
      '8',
      '--epochs',
      '2',
    ]);
    expect(r.steps).toBe(10); // 40 sentences / 8 × 2 epochs
    expect(Object.keys(r.best.metrics).sort()).toEqual(['accuracy', 'f1', 'loss', 'precision', 'recall']);
    expect(r.best.metric).toBe('f1');
    const config = JSON.parse(readFileSync(join(r.best.folder, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['AlbertForTokenClassification']);
    expect(Object.values(config.id2label)).toContain('O');
    expect(Object.values(config.id2label)).toContain('B-person');
  });

  it('squad: windows, official scores and the official predictions JSON', async () => {
    const squad = ['--doc-stride', '16', '--max-query-length', '16'];
    const r = await finetune('squad', 'squad-v1.1-dev-slice.json', 'squad-v1.1-dev-slice.json', [
      ...squad,
      '--batch-size',
      '16',
      '--steps',
      '4',
      '--max-train-examples',
      '20',
      '--max-dev-examples',
      '12',
    ]);
    expect(r.steps).toBe(4);
    expect(Object.keys(r.best.metrics).sort()).toEqual(['exact_match', 'f1', 'total']);
    expect(r.best.metrics.total).toBe(12);
    const predictions = join(pretrained, '..', 'squad-predictions.json');
    const ev = await runJson<{ metrics: Record<string, number> }>([
      'evaluate',
      '--task',
      'squad',
      '--model',
      join(pretrained, '..', 'squad'),
      '--data',
      join(FIXTURES, 'squad-v1.1-dev-slice.json'),
      '--max-seq-length',
      '64',
      ...squad,
      '--max-examples',
      '12',
      '--predictions',
      predictions,
    ]);
    expect(ev.metrics).toEqual(r.best.metrics);
    const answers = JSON.parse(readFileSync(predictions, 'utf8')) as Record<string, string>;
    const data = JSON.parse(readFileSync(join(FIXTURES, 'squad-v1.1-dev-slice.json'), 'utf8'));
    const questions = data.data
      .flatMap((a: { paragraphs: { context: string; qas: { id: string }[] }[] }) =>
        a.paragraphs.flatMap((p) => p.qas.map((q) => ({ id: q.id, context: p.context }))),
      )
      .slice(0, 12);
    expect(Object.keys(answers)).toEqual(questions.map((q: { id: string }) => q.id));
    for (const q of questions) expect(q.context).toContain(answers[q.id]); // extractive: a span of its context
  });

  it('squad2: the v2 scores (HasAns / NoAns)', async () => {
    const r = await finetune('squad2', 'squad-v2-sample.json', 'squad-v2-sample.json', [
      '--doc-stride',
      '16',
      '--max-query-length',
      '16',
      '--batch-size',
      '2',
      '--steps',
      '2',
    ]);
    expect(r.best.metrics).toMatchObject({ total: 2, HasAns_total: 1, NoAns_total: 1 });
  });

  it('mc: RACE-layout JSONL, accuracy; unlabelled lines refused', async () => {
    const r = await finetune('mc', 'race-like.jsonl', 'race-like.jsonl', [
      '--batch-size',
      '1',
      '--epochs',
      '1',
      '--max-train-examples',
      '3',
      '--max-dev-examples',
      '3',
    ]);
    expect(r.steps).toBe(3);
    expect(r.best.metric).toBe('accuracy');
    expect([0, 1 / 3, 2 / 3, 1]).toContain(r.best.value);
    const all = await runCli([
      'evaluate',
      '--task',
      'mc',
      '--model',
      join(pretrained, '..', 'mc'),
      '--data',
      join(FIXTURES, 'race-like.jsonl'),
    ]);
    expect(all.code).toBe(2);
    expect(all.stderr).toMatch(/race-like\.jsonl:\d+: example hand-4 has no answer/);
  });
});
