// Runs backends/solo.ts for one engine in a child process (tsx, workspace sources) and returns
// its median ms per forward.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), 'solo.ts');

export function runSolo(engine: string, batch: number, runs: number, threads: number): number {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@albert-ts/source', '--import', 'tsx', script, engine, String(batch), String(runs), String(threads)],
    { encoding: 'utf8', env: process.env },
  );
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return (JSON.parse(line) as { medianMs: number }).medianMs;
  } catch {
    throw new Error(
      `solo run of ${engine} (batch ${batch}) failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
}
