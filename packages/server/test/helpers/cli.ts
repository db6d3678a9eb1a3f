// Running the real `albert-serve` (from the TypeScript sources) as a child process for a test: its
// JSON log lines, its address, its exit; and finding its model process (Linux /proc) to stop or kill
// it. Every process started here is SIGKILLed after the test (a SIGSTOPped model process included).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const MODEL_PROCESS = fileURLToPath(new URL('../../src/runner/model-process', import.meta.url));

export interface Started {
  child: ChildProcess;
  url: string;
  logs: Record<string, unknown>[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: { pid: number; marker: string }[] = [];

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

afterEach(() => {
  // only a process that is still ours: same pid and its command line still names our file
  for (const { pid, marker } of started.splice(0)) {
    if (alive(pid) && cmdline(pid).includes(marker)) process.kill(pid, 'SIGKILL');
  }
});

/** Kills `pid` after the test, whatever happens in it, if its command line still contains `marker`. */
function killAfterTest(pid: number, marker: string): void {
  started.push({ pid, marker });
}

export function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, ['--conditions=@albert-ts/source', '--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) killAfterTest(child.pid, MAIN);
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

/** The pid of the model process (runner/model-process) forked by process `pid` (killed after the test). */
/**
 * The tiny text classifier served one request at a time (batches of one, no waiting), so that a test
 * knows which request is computing and which are queued; `extra` flags are appended.
 */
export function startOneAtATime(model: string, extra: string[] = []): Promise<Started> {
  return startCli([
    '--task',
    'text-classification',
    '--model',
    model,
    '--port',
    '0',
    '--max-batch-size',
    '1',
    '--max-wait-ms',
    '0',
    ...extra,
  ]);
}

export function modelProcessOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  for (const c of children.map(Number)) {
    if (cmdline(c).includes(MODEL_PROCESS)) {
      killAfterTest(c, MODEL_PROCESS);
      return c;
    }
  }
  throw new Error(`process ${pid} has no model process among its children ${children.join(', ')}`);
}

/** True while `pid` exists (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
