// Runs the built `albert` binary (dist/cli/main.js) as a user would, after building the app and its
// workspace dependencies once (turbo: cached when nothing changed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const APP = fileURLToPath(new URL('../../', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const BIN = `${APP}dist/cli/main.js`;
export const FIXTURES = `${APP}fixtures/`;

let built = false;

/** Builds the app (and what it depends on) with turbo; throws with the build's output when it fails. */
export function buildApp(): void {
  if (built) return;
  const result = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@albert-ts/playground', '--output-logs=errors-only'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0 || !existsSync(BIN)) {
    throw new Error(`building the playground failed:\n${result.stdout}\n${result.stderr}`);
  }
  built = true;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `albert <args>` with `stdin` piped in (default: nothing, stdin closed). */
export function runCli(args: string[], stdin = '', env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: APP,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** The JSON lines of a --json run. */
export function jsonLines<T = { input: unknown; output: unknown }>(stdout: string): T[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}
