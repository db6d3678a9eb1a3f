// `albert-train evaluate --task mlm`: a pretrained model on held-out text. Reference: the held-out
// evaluation that `pretrain --valid` logged for the same weights — the same examples, masks and batches
// (seed 12346, 15% masked) must give the same metrics when the checkpoint is evaluated afterwards.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MlmMetrics as Metrics } from '../src/pretrain/mlm-eval.js';
import { FIXTURES, runCli, runJson, TINY_SHAPE } from './helpers/run-cli.js';

describe('albert-train evaluate --task mlm', { timeout: 600_000 }, () => {
  it("reproduces the pretraining run's held-out evaluation of the same checkpoint", async () => {
    const root = await mkdtemp(join(tmpdir(), 'evaluate-mlm-'));
    const slice = join(FIXTURES, 'gutenberg-slice.txt');
    const run = await runJson<{ steps: number; eval: Metrics }>([
      'pretrain',
      '-i',
      slice,
      '--valid',
      slice,
      '-t',
      join(FIXTURES, 'gutenberg-1k.model'),
      '-o',
      root,
      ...TINY_SHAPE,
      '--max-seq-length',
      '48',
      '--batch-size',
      '4',
      '--eval-batches',
      '3',
      '--steps',
      '20',
      '--checkpoint-every',
      '20',
      '--lr',
      '0.003',
      '--backend',
      'cpu',
      '--quiet',
    ]);
    expect(run.steps).toBe(20);
    const checkpoint = join(root, 'checkpoints', 'checkpoint-20');
    const evaluated = await runJson<{ task: string; examples: number; metrics: Metrics }>([
      'evaluate',
      '--task',
      'mlm',
      '-m',
      checkpoint,
      '-d',
      slice,
      '--max-seq-length',
      '48',
      '--batch-size',
      '4',
      '--max-examples',
      '12',
      '--backend',
      'cpu',
      '--quiet',
    ]);
    expect(evaluated.task).toBe('mlm');
    expect(evaluated.examples).toBe(12);
    const m = evaluated.metrics;
    expect(m.masked_tokens).toBe(run.eval.masked_tokens);
    expect(m.masked_tokens).toBeGreaterThan(12); // 15% of 12 sequences of ≤ 48 pieces, at least one each
    expect(m.mlm_accuracy).toBe(run.eval.mlm_accuracy);
    expect(m.sop_accuracy).toBe(run.eval.sop_accuracy);
    expect(m.mlm_loss).toBeCloseTo(run.eval.mlm_loss, 5);
    expect(m.loss).toBeCloseTo(run.eval.loss, 5);
    expect(m.perplexity).toBeCloseTo(Math.exp(m.mlm_loss), 3);
  });

  it('refuses a model without the pretraining heads, naming what it needs', async () => {
    const r = await runCli([
      'evaluate',
      '--task',
      'mlm',
      '-m',
      join(FIXTURES, 'hf-albert', 'tiny-seqcls'),
      '-d',
      join(FIXTURES, 'gutenberg-slice.txt'),
      '--backend',
      'cpu',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('AlbertForSequenceClassification');
    expect(r.stderr).toContain('--task mlm needs AlbertForPreTraining');
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
