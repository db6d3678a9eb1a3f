// SIGTERM on the real process (`albert-serve`, from the TypeScript sources): with requests in
// flight it stops accepting, answers every one of them, and exits 0; when they are not done within
// --drain-timeout-ms (a model process that hangs), it answers them 503, logs how many, and exits 0.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { alive, MAIN, modelProcessOf, startCli, startOneAtATime } from './helpers/cli.js';
import { fixture, metric, postJson } from './helpers/server.js';

describe('albert-serve and SIGTERM', () => {
  it('answers every request in flight, then exits 0', async () => {
    const { child, url, logs, exit } = await startCli([
      '--task',
      'text-classification',
      '--model',
      fixture('tiny-seqcls'),
      '--port',
      '0',
      '--max-wait-ms',
      '5000',
      '--max-batch-size',
      '64',
    ]);
    const texts = ['one', 'two', 'three', 'four', 'five', 'six'];
    const answers = Promise.all(texts.map((t) => postJson(`${url}/v1/text-classification`, { inputs: t })));
    while ((await metric(url, 'albert_queue_depth')) < texts.length) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    const done = await answers;
    expect(done.map((a) => a.status)).toEqual(texts.map(() => 200));
    for (const a of done) expect(a.json[0].label).toMatch(/^LABEL_[012]$/);
    expect(await exit).toEqual({ code: 0, signal: null });
    const messages = logs.map((l) => l.msg);
    expect(messages).toContain('signal received');
    expect(messages).toContain('stopped');
    // structured request logs: one JSON line per request with its status
    expect(
      logs.filter((l) => l.msg === 'request completed' && (l.res as { statusCode: number }).statusCode === 200).length,
    ).toBeGreaterThanOrEqual(6);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  }, 300_000); // a process start on a loaded machine (over 120 s at load 14); nothing here is timed

  it('requests not done within --drain-timeout-ms: each answered 503, the count logged, the model process killed, exit 0', async () => {
    const { child, url, logs, exit } = await startOneAtATime(fixture('tiny-seqcls'), ['--drain-timeout-ms', '400']);
    // a model process that hangs: the batch sent to it never comes back
    const model = modelProcessOf(child.pid as number);
    process.kill(model, 'SIGSTOP');
    const texts = ['one', 'two', 'three', 'four'];
    const answers = Promise.all(texts.map((t) => postJson(`${url}/v1/text-classification`, { inputs: t })));
    // one request computing (batches of one), three queued
    while ((await metric(url, 'albert_queue_depth')) < texts.length - 1) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    const done = await answers;
    for (const a of done) {
      expect(a.status).toBe(503);
      expect(a.json.code).toBe('shutting-down');
      expect(a.json.error).toMatch(/shut down \(drain timeout 400 ms\) before this request was answered; retry/);
      expect(a.headers.get('retry-after')).toBe('1');
    }
    expect(await exit).toEqual({ code: 0, signal: null });
    const timeout = logs.find((l) => String(l.msg).startsWith('drain timeout'));
    expect(timeout?.abandoned).toBe(4);
    expect(timeout?.msg).toBe('drain timeout: 4 requests not finished, answered 503');
    expect(logs.map((l) => l.msg)).toContain('stopped');
    expect(alive(model)).toBe(false);
  }, 300_000); // two process starts on a loaded machine; nothing here is timed

  it('a model that does not load: exit 1 with the reason in the log', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@albert-ts/source',
        '--import',
        'tsx',
        MAIN,
        '--task',
        'fill-mask',
        '--model',
        fixture('tiny-seqcls'),
        '--port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(out).toMatch(/the model failed to load/);
    expect(out).toMatch(/fill-mask needs AlbertForMaskedLM/);
  });

  it('a bad option: exit with a one-line message', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@albert-ts/source',
        '--import',
        'tsx',
        MAIN,
        '--task',
        'text-classification',
        '--max-batch-size',
        '0',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).not.toBe(0);
    expect(err).toMatch(/option '--max-batch-size <rows>' argument '0' is invalid. expected an integer ≥ 1/);
  });
});
