// The whole app on tiny settings, through the CLI in child processes: tokenizer on a text slice →
// pretrain a tiny model (the shape of Hugging Face's tiny fixtures) a few hundred steps → finetune
// SST-2 on a slice → evaluate → export. The exported folders load with fromPretrained and hold
// exactly the tensor names, shapes and config fields Hugging Face's AlbertFor… classes write.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@albert-ts/backends';
import { parseSafetensors } from '@albert-ts/core';
import { AlbertForSequenceClassification } from '@albert-ts/heads';
import { AlbertForPreTraining } from '@albert-ts/pretraining';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, runJson } from './helpers/run-cli.js';

type Meta = { model_file: { tensors: Record<string, { dtype: string; shape: number[] }> } };
const hf = async (name: string) => ({
  config: JSON.parse(await readFile(join(FIXTURES, 'hf-albert', name, 'config.json'), 'utf8')) as Record<
    string,
    unknown
  >,
  tensors: (JSON.parse(await readFile(join(FIXTURES, 'hf-albert', name, 'meta.json'), 'utf8')) as Meta).model_file
    .tensors,
});

async function folderTensors(folder: string): Promise<Record<string, { dtype: string; shape: number[] }>> {
  const file = parseSafetensors(new Uint8Array(await readFile(join(folder, 'model.safetensors'))));
  return Object.fromEntries([...file.tensors].map(([n, e]) => [n, { dtype: e.dtype, shape: e.shape }]));
}

// The model shape of the HF fixtures (V1000 E16 H32, 4 layers, 4 heads, FFN 37), from their config.json.
const SHAPE = ['--config', join(FIXTURES, 'hf-albert', 'tiny-pretraining', 'config.json')];

describe('albert-train end to end (tiny)', { timeout: 900_000 }, () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'albert-train-e2e-'));
    await initBackend({ prefer: 'cpu' }); // for the in-process fromPretrained checks
  });

  it('tokenizer → pretrain → finetune sst2 → evaluate → export', async () => {
    // 1. a 1000-piece vocabulary (the fixtures' vocab_size) with ALBERT's special ids
    const tok = await runJson<{ vocabSize: number; model: string }>([
      'tokenizer',
      '-i',
      join(FIXTURES, 'gutenberg-slice.txt'),
      '--vocab-size',
      '1000',
      '-o',
      join(dir, 'tok'),
    ]);
    expect(tok.vocabSize).toBe(1000);
    expect(existsSync(join(dir, 'tok', 'tokenizer_config.json'))).toBe(true);

    // 2. pretraining: 200 steps, loss goes down, MLM metrics on held-out text
    const pre = await runJson<{ steps: number; loss: number; eval: { mlm_accuracy: number; perplexity: number } }>([
      'pretrain',
      '-i',
      join(FIXTURES, 'gutenberg-slice.txt'),
      '--valid',
      join(FIXTURES, 'gutenberg-slice.txt'),
      '-t',
      join(dir, 'tok'),
      '-o',
      join(dir, 'pre'),
      ...SHAPE,
      '--max-seq-length',
      '32',
      '--batch-size',
      '8',
      '--steps',
      '200',
      '--checkpoint-every',
      '100',
      '--eval-batches',
      '4',
      '--lr',
      '0.01',
      '--warmup-steps',
      '10',
    ]);
    expect(pre.steps).toBe(200);
    const log = (await readFile(join(dir, 'pre', 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const losses = log.filter((r) => r.kind === 'train').map((r) => r.loss as number);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(losses).toHaveLength(200);
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 20)) - 0.5);
    expect(pre.eval.perplexity).toBeCloseTo(Math.exp(log.filter((r) => r.kind === 'eval').at(-1).metrics.mlm_loss), 6);
    expect(existsSync(join(dir, 'pre', 'chart.png'))).toBe(true);

    // 3. fine-tuning SST-2 from the pretrain run folder; best dev accuracy kept in best/
    const ft = await runJson<{ best: { value: number; step: number; metrics: Record<string, number> }; steps: number }>(
      [
        'finetune',
        '--task',
        'sst2',
        '--model',
        join(dir, 'pre'),
        '--train',
        join(FIXTURES, 'sst2-train-400.tsv'),
        '--dev',
        join(FIXTURES, 'sst2-dev-200.tsv'),
        '-o',
        join(dir, 'sst2'),
        '--max-seq-length',
        '32',
        '--batch-size',
        '16',
        '--epochs',
        '2',
        '--lr',
        '0.001',
        '--eval-every',
        '10',
      ],
    );
    expect(ft.steps).toBe(50);
    const evals = (await readFile(join(dir, 'sst2', 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.kind === 'eval');
    expect(evals.map((r) => r.step)).toEqual([10, 20, 30, 40, 50]);
    expect(ft.best.value).toBe(Math.max(...evals.map((r) => r.metrics.accuracy)));

    // 4. evaluate the best model: the same dev accuracy the run recorded for it
    const ev = await runJson<{ metrics: { accuracy: number; loss: number }; examples: number }>([
      'evaluate',
      '--task',
      'sst2',
      '--model',
      join(dir, 'sst2'),
      '--data',
      join(FIXTURES, 'sst2-dev-200.tsv'),
      '--max-seq-length',
      '32',
      '--predictions',
      join(dir, 'predictions.json'),
    ]);
    expect(ev.examples).toBe(200);
    expect(ev.metrics.accuracy).toBe(ft.best.value);
    expect(ev.metrics.loss).toBeCloseTo(ft.best.metrics.loss as number, 5);
    const predictions = JSON.parse(await readFile(join(dir, 'predictions.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(predictions)).toHaveLength(200);
    expect(new Set(Object.values(predictions)).size).toBeLessThanOrEqual(2);
    for (const p of Object.values(predictions)) expect(['negative', 'positive']).toContain(p);

    // 5. export: the fine-tuned model and the pretrained one, as Hugging Face folders
    await runJson(['export', '-c', join(dir, 'sst2'), '-o', join(dir, 'hf-sst2')]);
    await runJson(['export', '-c', join(dir, 'pre'), '-o', join(dir, 'hf-pre')]);
    const half = await runJson<{ dtype: string }>([
      'export',
      '-c',
      join(dir, 'sst2'),
      '-o',
      join(dir, 'hf-sst2-f16'),
      '--float16',
    ]);
    expect(half.dtype).toBe('float16');

    // the exported SST-2 model gives the same dev accuracy
    const again = await runJson<{ metrics: { accuracy: number } }>([
      'evaluate',
      '--task',
      'sst2',
      '--model',
      join(dir, 'hf-sst2'),
      '--data',
      join(FIXTURES, 'sst2-dev-200.tsv'),
      '--max-seq-length',
      '32',
    ]);
    expect(again.metrics.accuracy).toBe(ft.best.value);
  });

  it('the exported folders have exactly the tensors and config fields of Hugging Face AlbertFor… folders', async () => {
    for (const [folder, fixture, labels] of [
      ['hf-sst2', 'tiny-seqcls', 2],
      ['hf-pre', 'tiny-pretraining', 0],
    ] as const) {
      const want = await hf(fixture);
      const got = await folderTensors(join(dir, folder));
      expect(Object.keys(got).sort()).toEqual(Object.keys(want.tensors).sort());
      for (const [name, t] of Object.entries(want.tensors)) {
        // the fixture's classifier has 3 labels; SST-2 has 2
        const shape = name.startsWith('classifier.') ? [labels, ...t.shape.slice(1)] : t.shape;
        expect(got[name], name).toEqual({ dtype: 'F32', shape });
      }
      const config = JSON.parse(await readFile(join(dir, folder, 'config.json'), 'utf8')) as Record<string, unknown>;
      for (const key of Object.keys(want.config)) {
        if (key === 'torch_dtype') continue; // transformers adds it on save; from_pretrained does not need it
        expect(config, `config.json lacks ${key}`).toHaveProperty(key);
      }
      expect(config.architectures).toEqual(want.config.architectures);
      for (const key of [
        'vocab_size',
        'embedding_size',
        'hidden_size',
        'num_hidden_layers',
        'num_attention_heads',
        'intermediate_size',
        'num_hidden_groups',
        'inner_group_num',
        'hidden_act',
        'max_position_embeddings',
        'type_vocab_size',
      ]) {
        expect(config[key], key).toEqual(want.config[key]);
      }
      for (const file of ['spiece.model', 'tokenizer_config.json'])
        expect(existsSync(join(dir, folder, file))).toBe(true);
      for (const file of ['optimizer.safetensors', 'trainer_state.json', 'data_state.json', 'rng_state.json']) {
        expect(existsSync(join(dir, folder, file))).toBe(false);
      }
    }
    const sst2 = JSON.parse(await readFile(join(dir, 'hf-sst2', 'config.json'), 'utf8'));
    expect(sst2.id2label).toEqual({ 0: 'negative', 1: 'positive' });
    expect(sst2.label2id).toEqual({ negative: 0, positive: 1 });

    // float16: the same names and shapes in F16, values within half precision of the float32 export
    const f32 = parseSafetensors(new Uint8Array(await readFile(join(dir, 'hf-sst2', 'model.safetensors'))));
    const f16 = parseSafetensors(new Uint8Array(await readFile(join(dir, 'hf-sst2-f16', 'model.safetensors'))));
    for (const [name, e] of f32.tensors) {
      const h = f16.tensors.get(name);
      expect(h?.dtype).toBe('F16');
      expect(h?.shape).toEqual(e.shape);
      const a = e.data as Float32Array;
      const b = h?.data as Float32Array;
      for (let i = 0; i < a.length; i++)
        expect(Math.abs((b[i] as number) - (a[i] as number))).toBeLessThanOrEqual(
          Math.abs(a[i] as number) * 2 ** -11 + 6e-8,
        );
    }
    const sst2f16 = JSON.parse(await readFile(join(dir, 'hf-sst2-f16', 'config.json'), 'utf8'));
    expect(sst2f16.torch_dtype).toBe('float16');
    expect(sst2f16.id2label).toEqual({ 0: 'negative', 1: 'positive' }); // nested keys kept
    expect({ ...sst2f16, torch_dtype: 'float32' }).toEqual(sst2);

    // fromPretrained loads them with nothing missing and nothing unused
    const cls = await AlbertForSequenceClassification.fromPretrained(join(dir, 'hf-sst2'));
    const pre = await AlbertForPreTraining.fromPretrained(join(dir, 'hf-pre'));
    expect(cls.loadingInfo).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
    expect(pre.loadingInfo).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
    expect(cls.numParameters()).toBe(
      Object.values(await folderTensors(join(dir, 'hf-sst2'))).reduce(
        (a, t) => a + t.shape.reduce((x, y) => x * y, 1),
        0,
      ),
    );
    cls.dispose();
    pre.dispose();
  });

  it('errors say what is wrong: wrong column count, unknown label, config/checkpoint mismatch', async () => {
    const { writeFile, mkdir, copyFile } = await import('node:fs/promises');
    const bad = join(dir, 'bad.tsv');
    await writeFile(bad, 'sentence\tlabel\na fine film \t1\ntoo\tmany\tcolumns\n');
    const columns = await runCli([
      'finetune',
      '--task',
      'sst2',
      '--model',
      join(dir, 'pre'),
      '--train',
      bad,
      '--dev',
      bad,
      '-o',
      join(dir, 'x'),
    ]);
    expect(columns.code).toBe(2);
    expect(columns.stderr).toMatch(/bad\.tsv:3:\d+: expected 2 tab-separated fields \(sentence \| label\), got 3/);
    await writeFile(bad, 'sentence\tlabel\na fine film \tpositive\n');
    const label = await runCli(['evaluate', '--task', 'sst2', '--model', join(dir, 'sst2'), '--data', bad]);
    expect(label.code).toBe(2);
    expect(label.stderr).toMatch(/bad\.tsv:2:\d+: expected a sst2 label \(0, 1\) in column "label", got "positive"/);
    // a config.json that says hidden size 64 next to weights of hidden size 32
    const broken = join(dir, 'broken');
    await mkdir(broken, { recursive: true });
    for (const f of ['model.safetensors', 'spiece.model']) await copyFile(join(dir, 'hf-sst2', f), join(broken, f));
    const config = JSON.parse(await readFile(join(dir, 'hf-sst2', 'config.json'), 'utf8'));
    await writeFile(join(broken, 'config.json'), JSON.stringify({ ...config, hidden_size: 64, intermediate_size: 37 }));
    const mismatch = await runCli(['export', '-c', broken, '-o', join(dir, 'y')]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/albert-train: .*(shape|hidden)/i);
    const missing = await runCli(['evaluate', '--task', 'sst2', '--model', join(dir, 'nowhere'), '--data', bad]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/model folder '.*nowhere' does not exist/);
  });
});
