// pretrain's two data paths through the CLI: prepare-data's TFRecord shards (the examples as
// written, in batches) and text; and the errors for shards of the wrong length and a corpus that
// cannot fill one batch.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetricsLog } from '../src/log/metrics-log.js';
import { FIXTURES, runCli, runJson, TINY_SHAPE } from './helpers/run-cli.js';

const model = join(FIXTURES, 'gutenberg-1k.model');
const tiny = [...TINY_SHAPE, '--backend', 'cpu'];

describe('albert-train pretrain data', { timeout: 900_000 }, () => {
  it('trains from prepare-data shards, and refuses a --max-seq-length the shards do not have', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'albert-train-tfr-'));
    const shards = join(dir, 'shards');
    const prep = await runJson<{ shards: { file: string; examples: number }[] }>([
      'prepare-data',
      '-i',
      join(FIXTURES, 'gutenberg-slice.txt'),
      '-t',
      model,
      '-o',
      shards,
      '--max-seq-length',
      '40',
      '--shards',
      '2',
      '--workers',
      '1',
    ]);
    const files = prep.shards.map((s) => s.file);
    const run = join(dir, 'run');
    const summary = await runJson<{ steps: number; tokensSeen: number; loss: number }>([
      'pretrain',
      '--tfrecord',
      files.join(','),
      '-t',
      model,
      '-o',
      run,
      ...tiny,
      '--batch-size',
      '4',
      '--steps',
      '6',
      '--checkpoint-every',
      '3',
    ]);
    expect(summary.steps).toBe(6);
    expect(Number.isFinite(summary.loss)).toBe(true);
    const steps = readMetricsLog(join(run, 'metrics.jsonl')).filter((r) => r.kind === 'train');
    expect(steps.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    // 24 examples of at most 40 tokens each (the shards' length), every one with real tokens
    expect(summary.tokensSeen).toBeLessThanOrEqual(24 * 40);
    expect(summary.tokensSeen).toBeGreaterThan(24 * 10);

    const wrong = await runCli([
      'pretrain',
      '--tfrecord',
      files.join(','),
      '-t',
      model,
      '-o',
      join(dir, 'run2'),
      ...tiny,
      '--max-seq-length',
      '64',
      '--steps',
      '2',
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--max-seq-length 64 does not match the shards, whose examples are 40 tokens long/);
  });

  it('says when a text corpus cannot fill one batch at this sequence length', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'albert-train-small-'));
    const corpus = join(dir, 'small.txt');
    await writeFile(
      corpus,
      'It was a dark night.\nThe dog barked twice at the moon.\n\nA second, short document.\nWith two lines.\n',
    );
    const r = await runCli([
      'pretrain',
      '-i',
      corpus,
      '-t',
      model,
      '-o',
      join(dir, 'run'),
      ...tiny,
      '--batch-size',
      '16',
      '--steps',
      '2',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gives only \d pretraining example\(s\) of at most 128 tokens; a batch needs 16/);
  });
});
