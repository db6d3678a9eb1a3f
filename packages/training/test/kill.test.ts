// The kill test: a child process (kill/train-child.ts) trains the tiny ALBERT on the cpu backend and
// is killed with SIGKILL at random updates, inside a checkpoint write (after its first file, in the
// temporary folder) and between a checkpoint's rename and the deletion of older ones; once it is
// stopped with SIGTERM. Each time it is resumed from its newest checkpoint. After every kill every
// checkpoint folder present must load completely; at the end the weights, optimizer state, data
// position and RNG state equal, byte for byte, those of a run that was never interrupted.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from '@albert-ts/core';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointStep, NodeCheckpointStorage, readCheckpoint } from '../src/index.js';

const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const CHILD = fileURLToPath(new URL('./kill/train-child.ts', import.meta.url));
const STEPS = 12;
const SEED = Number(process.env.KILL_TEST_SEED ?? 20240516);
const tmp = mkdtempSync(join(tmpdir(), 'albert-ts-kill-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Child = {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first line (already printed or to come) matching; rejects if the child exits first. */
  until(match: (line: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

function run(root: string, env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--conditions=@albert-ts/source', '--import', 'tsx', CHILD], {
    cwd: PACKAGE,
    env: { ...process.env, KILL_TEST_ROOT: root, KILL_TEST_STEPS: String(STEPS), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void; reject: (e: Error) => void }[] =
    [];
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += d;
  });
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.match(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      for (const w of waiters.splice(0)) {
        w.reject(new Error(`the child exited (${code ?? signal}) first; output:\n${lines.join('\n')}\n${stderr}`));
      }
      resolve({ code, signal });
    }),
  );
  return {
    proc,
    lines,
    exited,
    until: (match) => {
      const seen = lines.find(match);
      if (seen != null) return Promise.resolve(seen);
      if (proc.exitCode != null || proc.signalCode != null) {
        return Promise.reject(new Error(`the child has exited; output:\n${lines.join('\n')}\n${stderr}`));
      }
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
  };
}

/** Every entry of the root is a complete, loadable checkpoint or a dot-named leftover; returns the checkpoints. */
async function checkRoot(root: string): Promise<string[]> {
  const storage = new NodeCheckpointStorage(root);
  const listed = (await storage.list()).sort();
  const entries = existsSync(root) ? readdirSync(root, { withFileTypes: true }) : [];
  for (const e of entries) {
    if (e.name.startsWith('.tmp-') || e.name.startsWith('.del-')) continue;
    expect(e.isDirectory(), e.name).toBe(true);
    expect(listed).toContain(e.name);
  }
  for (const name of listed) {
    const stored = await readCheckpoint(storage, name); // throws on any missing, truncated or corrupt file
    expect(stored.trainerState.globalStep).toBe(checkpointStep(name));
    expect(stored.model.tensors.size).toBeGreaterThan(0);
  }
  return listed;
}

const newest = (names: string[]) => Math.max(0, ...names.map((n) => checkpointStep(n) ?? 0));

describe('kill test (child process, cpu backend)', () => {
  it('SIGKILLed at random moments and inside checkpoint writes, resumed each time, ends bit-identical', async () => {
    const rng = new SeededRandom(SEED);
    const pick = (lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));
    const log: string[] = [`seed ${SEED}`];

    // The uninterrupted run.
    const reference = join(tmp, 'reference');
    const whole = run(reference);
    expect(await whole.until((l) => l.startsWith('END'))).toBe(`END max-steps ${STEPS}`);
    await whole.exited;

    const root = join(tmp, 'killed');
    const resume = async (): Promise<Record<string, string>> =>
      (await new NodeCheckpointStorage(root).list()).length > 0 ? { KILL_TEST_RESUME: '1' } : {};
    const killAtStep = async (env: Record<string, string>, signal: NodeJS.Signals) => {
      const from = newest(await new NodeCheckpointStorage(root).list());
      const step = Math.min(STEPS - 1, from + pick(1, 4));
      const child = run(root, env);
      await child.until((l) => l === `STEP ${step}`);
      await new Promise((r) => setTimeout(r, pick(0, 20)));
      child.proc.kill(signal);
      log.push(`${signal} after STEP ${step} (resumed from ${from})`);
      return { child, exit: await child.exited };
    };

    // 1. Fresh run, SIGKILL at a random update.
    const first = await killAtStep({}, 'SIGKILL');
    expect(first.exit.signal).toBe('SIGKILL');
    await checkRoot(root);

    // 2. SIGKILL inside a checkpoint write: after its first file, in the temporary folder.
    {
      const before = await checkRoot(root);
      const child = run(root, { ...(await resume()), KILL_TEST_STALL: 'first-file' });
      const line = await child.until((l) => /^WRITE checkpoint-\d+ \S+ 1\/\d+$/.test(l));
      child.proc.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      log.push(`SIGKILL inside the write: ${line}`);
      const name = line.split(' ')[1] as string;
      expect(readdirSync(root).some((e) => e.startsWith(`.tmp-${name}-`))).toBe(true); // half-written, hidden
      expect(await checkRoot(root)).toEqual(before); // the previous checkpoints are whole; the new one is absent
    }

    // 3. SIGTERM: stops after the current update with a checkpoint, exit code 0.
    {
      const { child, exit } = await killAtStep(await resume(), 'SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      const end = child.lines.find((l) => l.startsWith('END')) as string;
      expect(end).toMatch(/^END stopped \d+$/);
      const stoppedAt = Number(end.split(' ')[2]);
      expect(newest(await checkRoot(root))).toBe(stoppedAt);
    }

    // 4. SIGKILL between a checkpoint's rename and the deletion of the oldest one.
    {
      const before = await checkRoot(root);
      const child = run(root, { ...(await resume()), KILL_TEST_STALL: 'complete' });
      const line = await child.until((l) => /^WRITE checkpoint-\d+ - \d+\/\d+$/.test(l));
      child.proc.kill('SIGKILL');
      await child.exited;
      log.push(`SIGKILL after the rename: ${line}`);
      expect(await checkRoot(root)).toEqual([...before, line.split(' ')[1] as string].sort());
    }

    // 5. Two more random SIGKILLs, then a run to the end.
    for (let i = 0; i < 2; i++) {
      await killAtStep(await resume(), 'SIGKILL');
      await checkRoot(root);
    }
    const last = run(root, await resume());
    expect(await last.until((l) => l.startsWith('END'))).toBe(`END max-steps ${STEPS}`);
    await last.exited;
    await checkRoot(root);

    const final = `checkpoint-${STEPS}`;
    for (const file of ['model.safetensors', 'optimizer.safetensors', 'data_state.json', 'rng_state.json']) {
      const a = readFileSync(join(root, final, file));
      const b = readFileSync(join(reference, final, file));
      expect(a.equals(b), `${file} (${log.join('; ')})`).toBe(true);
    }
    const state = (dir: string) => {
      const { trainSeconds: _, ...rest } = JSON.parse(readFileSync(join(dir, final, 'trainer_state.json'), 'utf8'));
      return rest;
    };
    expect(state(root)).toEqual(state(reference));
    console.log(`kill test: ${log.join('; ')}`);
  }, 300_000);

  it('SIGINT between checkpoints stops within an update, with a checkpoint (no I/O needed to notice it)', async () => {
    // Checkpoints every 1000 updates: between them the loop does no I/O of its own, so only its pause
    // for the event loop lets the signal handler run (before that pause, Ctrl-C went unnoticed).
    const root = join(tmp, 'sigint');
    const child = run(root, { KILL_TEST_STEPS: '60', KILL_TEST_EVERY: '1000' });
    await child.until((l) => l === 'STEP 2');
    child.proc.kill('SIGINT');
    const end = await child.until((l) => l.startsWith('END'));
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(end).toMatch(/^END stopped \d+$/);
    const stoppedAt = Number(end.split(' ')[2]);
    expect(stoppedAt).toBeLessThanOrEqual(4);
    expect(await checkRoot(root)).toEqual([`checkpoint-${stoppedAt}`]);
  }, 120_000);
});
