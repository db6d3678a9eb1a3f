// Stopping pretraining and continuing it changes nothing: a run killed with SIGKILL (resumed from
// its last interval checkpoint) and a run stopped with Ctrl-C (SIGINT: it checkpoints and exits)
// end, after --resume, with the same weights and the same logged losses as an uninterrupted run.
// So does a run split with --stop-at. Everything goes through the CLI in child processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetricsLog } from '../src/log/metrics-log.js';
import { cliArgs, FIXTURES, runCli, runJson, TINY_SHAPE } from './helpers/run-cli.js';

const STEPS = 24;
const args = (output: string) => [
  'pretrain',
  '-i',
  join(FIXTURES, 'gutenberg-slice.txt'),
  '-t',
  join(FIXTURES, 'gutenberg-1k.model'),
  '-o',
  output,
  ...TINY_SHAPE,
  '--intermediate-size',
  '48',
  '--dropout',
  '0.1', // dropout on: the resumed run must also reproduce the dropout masks
  '--max-seq-length',
  '48',
  '--batch-size',
  '4',
  '--shuffle-buffer',
  '50',
  '--steps',
  String(STEPS),
  '--checkpoint-every',
  '4',
  '--lr',
  '0.003',
  '--backend',
  'cpu',
  '--quiet',
];

/** Starts the CLI and resolves once the metrics log has reached `step`. */
function startUntil(output: string, step: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, cliArgs(args(output)), { stdio: 'ignore' });
  const log = join(output, 'metrics.jsonl');
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`pretrain exited (${code}) before step ${step}`)));
    const poll = setInterval(() => {
      if (!existsSync(log)) return;
      const steps = readMetricsLog(log).filter((r) => r.kind === 'train').length;
      if (steps >= step) {
        clearInterval(poll);
        child.removeAllListeners('exit');
        resolve(child);
      }
    }, 50);
  });
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

const finalWeights = (output: string) =>
  readFile(join(output, 'checkpoints', `checkpoint-${STEPS}`, 'model.safetensors'));
const losses = (output: string) =>
  readMetricsLog(join(output, 'metrics.jsonl')).flatMap((r) => (r.kind === 'train' ? [[r.step, r.loss]] : []));

describe('albert-train pretrain: kill / Ctrl-C and --resume', { timeout: 900_000 }, () => {
  it('ends with the weights of an uninterrupted run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'albert-train-resume-'));
    const reference = join(dir, 'reference');
    const summary = await runJson<{ steps: number; reason: string }>(args(reference));
    expect(summary).toMatchObject({ steps: STEPS, reason: 'max-steps' });

    // SIGKILL after step 10: nothing gets saved; --resume starts at checkpoint-8.
    const killed = join(dir, 'killed');
    const child = await startUntil(killed, 10);
    const done = exited(child);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    expect(existsSync(join(killed, 'checkpoints', `checkpoint-${STEPS}`))).toBe(false);
    const resumed = await runJson<{ steps: number }>([...args(killed), '--resume']);
    expect(resumed.steps).toBe(STEPS);

    // SIGINT (Ctrl-C) after step 13: a checkpoint at the step it stopped, exit code 130.
    const interrupted = join(dir, 'interrupted');
    const child2 = await startUntil(interrupted, 13);
    const done2 = exited(child2);
    child2.kill('SIGINT');
    expect((await done2).code).toBe(130);
    const stoppedAt = JSON.parse(readFileSync(join(interrupted, 'run.json'), 'utf8')) as object;
    expect(stoppedAt).toMatchObject({ command: 'pretrain' });
    const checkpoints = (await import('node:fs')).readdirSync(join(interrupted, 'checkpoints'));
    const last = Math.max(...checkpoints.map((n) => Number(n.replace('checkpoint-', ''))));
    expect(last).toBeGreaterThanOrEqual(13);
    expect(last).toBeLessThan(STEPS); // it stopped early, with a checkpoint where it stopped
    await runJson([...args(interrupted), '--resume']);

    // --stop-at 10: a checkpoint at update 10 of the 24-update schedule (same learning rates), exit 0;
    // --resume without it runs on to 24.
    const staged = join(dir, 'staged');
    const firstPart = await runJson<{ steps: number }>([...args(staged), '--stop-at', '10']);
    expect(firstPart.steps).toBe(10);
    expect(existsSync(join(staged, 'checkpoints', 'checkpoint-10'))).toBe(true);
    expect(existsSync(join(staged, 'checkpoints', `checkpoint-${STEPS}`))).toBe(false);
    const rates = (output: string) =>
      readMetricsLog(join(output, 'metrics.jsonl')).flatMap((r) => (r.kind === 'train' ? [r.learningRate] : []));
    expect(rates(staged)).toEqual(rates(reference).slice(0, 10));
    expect((await runJson<{ steps: number }>([...args(staged), '--resume'])).steps).toBe(STEPS);

    const want = await finalWeights(reference);
    expect(Buffer.compare(await finalWeights(killed), want)).toBe(0);
    expect(Buffer.compare(await finalWeights(interrupted), want)).toBe(0);
    expect(Buffer.compare(await finalWeights(staged), want)).toBe(0);
    expect(losses(killed)).toEqual(losses(reference));
    expect(losses(interrupted)).toEqual(losses(reference));
    expect(losses(staged)).toEqual(losses(reference));
    expect(losses(reference)).toHaveLength(STEPS);
  });

  it('refuses a resume whose model flags differ from the run, and a fresh run over an existing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'albert-train-resume2-'));
    const run = join(dir, 'run');
    const first = await runCli([...args(run), '--steps', '4']);
    expect(first.code).toBe(0);
    const changed = await runCli([...args(run), '--steps', '8', '--hidden-size', '64', '--resume']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/started with --hidden-size 32; this command says --hidden-size 64/);
    const late = await runCli([...args(join(dir, 'late')), '--steps', '4', '--stop-at', '5']);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/--stop-at 5 is after the last update \(--steps 4\); give at most 4/);
    const again = await runCli([...args(run), '--steps', '4']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a pretrain run with checkpoints.*--resume.*--overwrite/);
  });
});
