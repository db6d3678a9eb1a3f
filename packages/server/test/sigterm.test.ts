// SIGTERM on the real process (`albert-serve`, from the TypeScript sources): with requests in
// flight it stops accepting, answers every one of them, and exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture, metric, postJson } from './helpers/server.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
  logs: Record<string, unknown>[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, ['--conditions=@albert-ts/source', '--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let url: string | undefined;
    let buffer = '';
    child.stdout?.on('data', (d) => {
      buffer += d;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        const at = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(String(entry.msg));
        if (at) url = at[1];
        if (entry.msg === 'model ready' && url !== undefined) resolve({ child, url, logs, exit });
      }
    });
    void exit.then(({ code }) => reject(new Error(`albert-serve exited ${code} before it was ready:\n${stderr}`)));
  });
}

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
  });

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
