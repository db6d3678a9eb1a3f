// Runs albert-serve (from the TypeScript sources) as a child process for the benchmark: waits for
// its "model ready" log line, reads its RSS from /proc, stops it with SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Resident memory in bytes (Linux /proc), or NaN. */
  rss(): number;
  /** SIGTERM and the exit code. */
  stop(): Promise<number | null>;
}

const children = new Set<ChildProcess>();
// a bench stopped half-way (Ctrl-C, kill) takes its servers with it
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Resident memory of `pid` and its children (the server and its model process), Linux /proc; NaN elsewhere. */
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const own = m ? Number(m[1]) * 1024 : 0;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return own + children.reduce((sum, c) => sum + (rssOf(Number(c)) || 0), 0);
  } catch {
    return Number.NaN;
  }
}

export function startServerProcess(args: string[]): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@albert-ts/source', '--import', 'tsx', MAIN, '--log-level', 'warn', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    // at log level warn, the two lines we wait for are info: ask for them through /ready instead
    let buffer = '';
    child.stdout?.on('data', (d) => {
      buffer += d;
      if (buffer.length > 1e6) buffer = buffer.slice(-1e5);
    });
    const port = Number(args[args.indexOf('--port') + 1]);
    const url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`albert-serve exited ${child.exitCode}:\n${buffer}`));
      try {
        if ((await fetch(`${url}/ready`)).status === 200) {
          return resolve({
            child,
            url,
            rss: () => rssOf(child.pid as number),
            stop: async () => {
              child.kill('SIGTERM');
              return exited;
            },
          });
        }
      } catch {}
      if (Date.now() - started > 300_000) return reject(new Error('albert-serve was not ready within 5 minutes'));
      setTimeout(poll, 250);
    };
    void poll();
  });
}
