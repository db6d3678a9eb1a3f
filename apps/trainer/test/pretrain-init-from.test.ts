// Continued pretraining: `pretrain --init-from <model folder>` starts from that model's weights,
// shape and tokenizer. Reference: the first run's own checkpoint — a second run at a negligible
// learning rate must start (and so end) where the first ended, and evaluate to the same held-out loss,
// while a fresh model of the same shape does not.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensorsFile } from '@albert-ts/core';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, runJson, TINY_SHAPE } from './helpers/run-cli.js';

const DATA = ['-i', join(FIXTURES, 'gutenberg-slice.txt'), '--valid', join(FIXTURES, 'gutenberg-slice.txt')];
const COMMON = ['--max-seq-length', '48', '--batch-size', '4', '--eval-batches', '2', '--backend', 'cpu', '--quiet'];

type Summary = { steps: number; eval: { mlm_loss: number } };

/** Tensor name → values of a model.safetensors (float32). */
async function weights(file: string): Promise<Map<string, Float32Array>> {
  const { tensors } = await readSafetensorsFile(file);
  return new Map([...tensors].map(([name, t]) => [name, t.data as Float32Array]));
}

function maxDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let m = 0;
  for (const [name, x] of a) {
    const y = b.get(name) as Float32Array;
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs((x[i] as number) - (y[i] as number)));
  }
  return m;
}

describe('albert-train pretrain --init-from', { timeout: 600_000 }, () => {
  it("continues from the model's weights, shape and tokenizer", async () => {
    const root = await mkdtemp(join(tmpdir(), 'init-from-'));
    const first = join(root, 'first');
    const a = await runJson<Summary>([
      'pretrain',
      ...DATA,
      '-t',
      join(FIXTURES, 'gutenberg-1k.model'),
      '-o',
      first,
      ...TINY_SHAPE,
      ...COMMON,
      '--steps',
      '30',
      '--checkpoint-every',
      '30',
      '--lr',
      '0.003',
    ]);
    expect(a.steps).toBe(30);
    const from = join(first, 'checkpoints', 'checkpoint-30');
    const still = (output: string, init: string[]) =>
      runJson<Summary>([
        'pretrain',
        ...DATA,
        ...init,
        '-o',
        output,
        ...COMMON,
        '--steps',
        '2',
        '--checkpoint-every',
        '2',
        '--optimizer',
        'adamw',
        '--lr',
        '1e-12',
        '--weight-decay',
        '0',
      ]);
    const b = await still(join(root, 'continued'), ['--init-from', first]); // a run folder: its newest checkpoint
    const continued = await weights(join(root, 'continued', 'checkpoints', 'checkpoint-2', 'model.safetensors'));
    const start = await weights(join(from, 'model.safetensors'));
    expect([...continued.keys()].sort()).toEqual([...start.keys()].sort());
    expect(maxDiff(continued, start)).toBeLessThan(1e-6);
    expect(Math.abs(b.eval.mlm_loss - a.eval.mlm_loss)).toBeLessThan(1e-4);

    // the same command from scratch (shape flags, tokenizer) lands elsewhere
    const fresh = await still(join(root, 'fresh'), ['-t', join(FIXTURES, 'gutenberg-1k.model'), ...TINY_SHAPE]);
    expect(
      maxDiff(await weights(join(root, 'fresh', 'checkpoints', 'checkpoint-2', 'model.safetensors')), start),
    ).toBeGreaterThan(1e-3);
    expect(fresh.eval.mlm_loss - a.eval.mlm_loss).toBeGreaterThan(0.1);

    // shape flags contradict the model's config.json: refused, naming them
    const refused = await runCli([
      'pretrain',
      ...DATA,
      '--init-from',
      from,
      '-o',
      join(root, 'x'),
      '--hidden-size',
      '64',
      ...COMMON,
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--init-from takes the model's shape from .*config\.json; drop --hidden-size/);
  });
});
